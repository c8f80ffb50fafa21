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
