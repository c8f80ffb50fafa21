import { isIsoDate, londonInstant } from '@schoolping/shared';
import { UnknownSchemaError } from './db/database.ts';
import { systemClock } from './clock.ts';
import { listSchools } from './db/school-store.ts';
import { loadDemoOnFirstRun } from './demo-data.ts';
import { HeldSnapshotError } from './ingest/held.ts';
import { flag, UsageError, type Command } from './cli/args.ts';
import { identityCommands } from './cli/identity-commands.ts';
import { misCommands } from './cli/mis-commands.ts';
import { withDb } from './cli/with-db.ts';
import { deepHealth } from './routes/health.ts';
import { ServerKeyMismatchError } from './secrets/at-rest.ts';
import { KeyFileError } from './secrets/keyring.ts';
import { summarise } from './school-summary.ts';

const commands: Record<string, Command> = {
  help: {
    usage: 'help',
    summary: 'List the commands.',
    run() {
      console.log('Usage: npm run cli -- <command> [options]   (uses DATA_DIR, default ./data)\n');
      for (const command of Object.values(commands))
        console.log(`  ${command.usage.padEnd(58)} ${command.summary}`);
      return 0;
    },
  },
  status: {
    usage: 'status [--as-of YYYY-MM-DD]',
    summary: 'Each school with its pupils, contacts and classes on a day (default today).',
    run(args) {
      const asOf = flag(args, '--as-of');
      if (asOf !== undefined && !isIsoDate(asOf))
        throw new UsageError(`--as-of must be a date as YYYY-MM-DD, got "${asOf}".`);
      const when = asOf === undefined ? systemClock() : londonInstant(asOf, 12);
      return withDb((db) => {
        console.log(
          JSON.stringify(
            listSchools(db).map((school) => summarise(db, school, when)),
            null,
            2,
          ),
        );
        return 0;
      });
    },
  },
  'demo-load': {
    usage: 'demo-load',
    summary: 'Load the demo school into an empty database (what the first start does).',
    run() {
      return withDb((db) => {
        const school = loadDemoOnFirstRun(db, systemClock());
        console.log(
          school ? `Loaded ${school.name}.` : 'The database already has a school; nothing changed.',
        );
        return 0;
      });
    },
  },
  health: {
    usage: 'health',
    summary: 'Check every page of the database file (the deep check that /api/health leaves out).',
    run() {
      return withDb((db) => {
        const report = deepHealth(db);
        console.log(
          report.status === 'ok'
            ? `The database is healthy (schema version ${report.schemaVersion}).`
            : `The database check found problems: ${report.database}`,
        );
        return report.status === 'ok' ? 0 : 1;
      });
    },
  },
  ...misCommands,
  ...identityCommands,
};

const [name = 'help', ...rest] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`Unknown command "${name}". Try: npm run cli -- help`);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await command.run(rest);
  } catch (error) {
    if (!(
      error instanceof UsageError ||
      error instanceof HeldSnapshotError ||
      error instanceof UnknownSchemaError ||
      error instanceof KeyFileError ||
      error instanceof ServerKeyMismatchError
    ))
      throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}
