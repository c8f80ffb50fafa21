import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Keyring } from '../secrets/keyring.ts';
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

/**
 * Open (creating if needed) the SQLite file in `dataDir`, migrated to the current schema, with the
 * server key that seals its secrets and its audit chain.
 */
export function openDatabase(dataDir: string, keyring: Keyring, fileName = 'schoolping.sqlite'): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(join(dataDir, fileName));
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // FULL: a commit the server has acknowledged survives a power cut, not only a crash.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // Freed pages and cells are zeroed: a deleted message's words do not linger in the file.
  db.pragma('secure_delete = ON');
  migrate(db);
  attachKeyring(db, keyring);
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

/*
 * The server key travels with the open database: whatever writes the audit log or reads a sealed
 * secret through this connection uses the keyring it was opened with, and no other.
 */
const keyrings = new WeakMap<Db, Keyring>();

export function attachKeyring(db: Db, keyring: Keyring): void {
  keyrings.set(db, keyring);
}

export function keyringFor(db: Db): Keyring {
  const keyring = keyrings.get(db);
  if (!keyring) throw new Error('This database was opened without the server key.');
  return keyring;
}
