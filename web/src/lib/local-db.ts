import Dexie, { type EntityTable } from 'dexie';

/** A copy of something the server said, kept so the app can show it with the network off. */
export interface Snapshot {
  readonly key: string;
  readonly value: unknown;
  /** When the copy was received, ISO 8601. */
  readonly savedAt: string;
}

export type LocalDb = Dexie & { snapshots: EntityTable<Snapshot, 'key'> };

export const LOCAL_DB_NAME = 'schoolping';

export function openLocalDb(name = LOCAL_DB_NAME): LocalDb {
  const db = new Dexie(name) as LocalDb;
  db.version(1).stores({ snapshots: 'key' });
  return db;
}

let shared: LocalDb | null = null;

/** The app's one connection, so that signing out can close it before deleting the database. */
export function localDb(): LocalDb {
  shared ??= openLocalDb();
  return shared;
}

/** Close the connection; the next `localDb()` opens a new one on a new (empty) database. */
export function closeLocalDb(): void {
  shared?.close();
  shared = null;
}
