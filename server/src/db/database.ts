import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from './migrations.ts';

export type Db = Database.Database;

export class UnknownSchemaError extends Error {
  constructor(found: number, known: number) {
    super(
      `The database is at schema version ${found}, but this server knows only up to ${known}. ` +
        'It was written by a newer release: upgrade the server rather than risk the data.',
    );
    this.name = 'UnknownSchemaError';
  }
}

/** Open (creating if needed) the SQLite file in `dataDir`, migrated to the current schema. */
export function openDatabase(dataDir: string, fileName = 'schoolping.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // FULL: a commit the server has acknowledged survives a power cut, not only a crash.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: Db): void {
  const found = db.pragma('user_version', { simple: true }) as number;
  if (found > MIGRATIONS.length) throw new UnknownSchemaError(found, MIGRATIONS.length);
  MIGRATIONS.slice(found).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${found + index + 1}`);
    })();
  });
}
