import type { Db } from '../database.ts';
import { sqliteDecisionReads } from './decision-reads.ts';
import { sqliteDocStore } from './docs.ts';
import { sqliteEffectWriter } from './effects.ts';
import { sqliteIntents } from './intents.ts';
import { sqliteReadModelSource } from './read-model-rows.ts';
import type { SyncStore } from './store.ts';

/** The sync engine's storage in the school's SQLite file; every statement is prepared once. */
export function sqliteSyncStore(db: Db): SyncStore {
  const decisionReads = sqliteDecisionReads(db);
  return {
    ...sqliteDocStore(db),
    ...sqliteIntents(db),
    ...sqliteReadModelSource(db),
    decisionReads,
    writeEffects: sqliteEffectWriter(db),
    dropErasedPages: () => {
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
  };
}
