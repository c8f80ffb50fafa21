import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db/database.ts';
import { sealAtRest } from './at-rest.ts';
import { KeyFileError, loadOrCreateKeyring } from './keyring.ts';

export const DATABASE_FILE = 'schoolping.sqlite';

/** Key ids a database file records, read without migrating or writing it; none for a new file. */
function keysRecordedIn(file: string): string[] {
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'server_keys'")
      .get();
    if (!table) return [];
    return (db.prepare('SELECT id FROM server_keys').all() as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

/**
 * The data folder's database, opened as the server and the command line open it: with the server
 * key from `keyFile`, made on the first start only, and checked against the keys the database was
 * sealed with. `say` is told what a person should know (a key made, secrets sealed, a log problem).
 */
export function openServerDatabase(
  dataDir: string,
  keyFile: string,
  now: Date,
  say: (line: string) => void,
): Db {
  const sealedWith = keysRecordedIn(join(dataDir, DATABASE_FILE));
  const { keyring, created } = loadOrCreateKeyring(keyFile, dataDir, now, (path) => {
    if (sealedWith.length > 0)
      throw new KeyFileError(
        `The server key file ${path} is missing, but the database in ${dataDir} was sealed with key ${sealedWith.join(', ')}. ` +
          'Restore the key file from its backup, or point SECRET_KEY_FILE at it; the server will not make a new one.',
      );
  });
  if (created) say(created);
  const db = openDatabase(dataDir, keyring, DATABASE_FILE);
  try {
    const report = sealAtRest(db, { keyCreated: created !== null }, now);
    if (report.secretsSealed > 0) say(`Sealed ${report.secretsSealed} stored secrets with the server key.`);
    if (!report.audit.ok)
      say(
        `The audit log was left unsealed: row ${report.audit.rowId} ${report.audit.problem}. ` +
          'Run `npx schoolping audit-verify` and look into it before trusting the log.',
      );
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
