import Dexie, { type EntityTable } from 'dexie';

/** A copy of something the server said, kept so the app can show it with the network off. */
export interface Snapshot {
  readonly key: string;
  readonly value: unknown;
  /** When the copy was received, ISO 8601. */
  readonly savedAt: string;
}

/** One stored Yjs update of one synced document; compaction replaces a document's rows with one. */
export interface DocUpdateRow {
  readonly id?: number;
  readonly doc: string;
  readonly data: Uint8Array;
}

export type LocalDb = Dexie & {
  snapshots: EntityTable<Snapshot, 'key'>;
  docUpdates: EntityTable<DocUpdateRow, 'id'>;
};

export const LOCAL_DB_NAME = 'schoolping';

export function openLocalDb(name = LOCAL_DB_NAME): LocalDb {
  const db = new Dexie(name) as LocalDb;
  db.version(1).stores({ snapshots: 'key' });
  db.version(2).stores({ snapshots: 'key', docUpdates: '++id, doc' });
  return db;
}

/** Thrown by `localDb()` between a wipe and the next session: nothing may be written for nobody. */
export class LocalDbSealedError extends Error {
  constructor() {
    super('The local database is closed until someone signs in again');
    this.name = 'LocalDbSealedError';
  }
}

let shared: LocalDb | null = null;
let isSealed = false;
const deletedElsewhere = new Set<() => void>();

/** The app's one connection, so that signing out can close it before deleting the database. */
export function localDb(): LocalDb {
  if (isSealed) throw new LocalDbSealedError();
  if (shared) return shared;
  const db = openLocalDb();
  // Another tab is deleting (signing out) or upgrading the database: let go at once, or it waits on us.
  db.on('versionchange', (event) => {
    closeLocalDb();
    if (event.newVersion === null) {
      isSealed = true;
      for (const listener of deletedElsewhere) listener();
    }
    return false;
  });
  shared = db;
  return db;
}

/** Close the connection; the next `localDb()` opens a new one. */
export function closeLocalDb(): void {
  shared?.close();
  shared = null;
}

/** For a wipe: close the connection and refuse to open another until `unsealLocalDb()`. */
export function sealLocalDb(): void {
  isSealed = true;
  closeLocalDb();
}

/** A new session was adopted: its copy may be kept again. */
export function unsealLocalDb(): void {
  isSealed = false;
}

/** Runs `listener` when another tab deletes the database under this one; returns a stop function. */
export function onLocalDbDeletedElsewhere(listener: () => void): () => void {
  deletedElsewhere.add(listener);
  return () => deletedElsewhere.delete(listener);
}
