import { isIsoDate, londonInstant } from '@schoolping/shared';
import { systemClock } from './clock.ts';
import { readConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { listSchools } from './db/school-store.ts';
import { loadDemoOnFirstRun } from './demo-data.ts';
import { summarise } from './school-summary.ts';

interface Command {
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[]): number;
}

function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

const commands: Record<string, Command> = {
  help: {
    usage: 'help',
    summary: 'List the commands.',
    run() {
      console.log('Usage: npm run cli -- <command> [options]   (uses DATA_DIR, default ./data)\n');
      for (const command of Object.values(commands))
        console.log(`  ${command.usage.padEnd(28)} ${command.summary}`);
      return 0;
    },
  },
  status: {
    usage: 'status [--as-of YYYY-MM-DD]',
    summary: 'Each school with its pupils, contacts and classes on a day (default today).',
    run(args) {
      const asOf = flag(args, '--as-of');
      if (asOf !== undefined && !isIsoDate(asOf)) {
        console.error(`--as-of must be a date as YYYY-MM-DD, got "${asOf}"`);
        return 2;
      }
      const db = openDatabase(readConfig().dataDir);
      try {
        const when = asOf === undefined ? systemClock() : londonInstant(asOf, 12);
        const summaries = listSchools(db).map((school) => summarise(db, school, when));
        console.log(JSON.stringify(summaries, null, 2));
        return 0;
      } finally {
        db.close();
      }
    },
  },
  'demo-load': {
    usage: 'demo-load',
    summary: 'Load the demo school into an empty database (what the first start does).',
    run() {
      const db = openDatabase(readConfig().dataDir);
      try {
        const school = loadDemoOnFirstRun(db, systemClock());
        console.log(
          school ? `Loaded ${school.name}.` : 'The database already has a school; nothing changed.',
        );
        return 0;
      } finally {
        db.close();
      }
    },
  },
};

const [name = 'help', ...rest] = process.argv.slice(2);
const command = commands[name];
if (!command) {
  console.error(`Unknown command "${name}". Try: npm run cli -- help`);
  process.exitCode = 2;
} else {
  process.exitCode = command.run(rest);
}
