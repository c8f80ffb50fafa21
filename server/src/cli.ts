import { londonInstant } from '@schoolping/shared';
import { UnknownSchemaError } from './db/database.ts';
import { clockNotice, systemClock } from './clock.ts';
import { listSchools } from './db/school-store.ts';
import { loadDemoOnFirstRun } from './demo-data.ts';
import { HeldSnapshotError } from './ingest/core/held.ts';
import { dateFlag, UsageError, type Command } from './cli/args.ts';
import { print, table } from './cli/output.ts';
import { schoolsTable } from './cli/readable.ts';
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
      console.log('Usage: npx schoolping <command> [options]   (uses DATA_DIR, default ./data)\n');
      console.log(
        table(
          ['command', 'what it does'],
          Object.values(commands).map((command) => [command.usage, command.summary]),
        ),
      );
      console.log('\nReports print a table; add --json for the same data as JSON, and nothing else.');
      return 0;
    },
  },
  status: {
    usage: 'status [--as-of YYYY-MM-DD] [--json]',
    summary: 'Each school with its pupils, contacts and classes on a day (default today).',
    run(args) {
      const asOf = dateFlag(args, '--as-of');
      const when = asOf === undefined ? systemClock() : londonInstant(asOf, 12);
      return withDb((db) => {
        print(
          args,
          listSchools(db).map((school) => summarise(db, school, when)),
          schoolsTable,
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
if (clockNotice) console.error(clockNotice);
const command = commands[name];
if (!command) {
  console.error(`Unknown command "${name}". Try: npx schoolping help`);
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
