import type { Verdict } from '@schoolping/shared';
import type { Db } from '../database.ts';
import type { IntentRecord, StoredIntent } from './store.ts';

/** The `intents` table: each intent id once per school, with the verdict it was given. */
export function sqliteIntents(db: Db): {
  intent(schoolId: number, intentId: string): StoredIntent | null;
  nextIntentSeq(schoolId: number): number;
  recordIntent(schoolId: number, record: IntentRecord): void;
} {
  const select = db.prepare('SELECT user_id, verdict FROM intents WHERE school_id = ? AND id = ?');
  const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) FROM intents WHERE school_id = ?').pluck();
  const insert = db.prepare(
    'INSERT INTO intents (school_id, id, seq, user_id, type, verdict, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  return {
    intent(schoolId, intentId) {
      const row = select.get(schoolId, intentId) as { user_id: number; verdict: string } | undefined;
      return row ? { userId: row.user_id, verdict: JSON.parse(row.verdict) as Verdict } : null;
    },
    nextIntentSeq: (schoolId) => (lastSeq.get(schoolId) as number) + 1,
    recordIntent(schoolId, record) {
      insert.run(
        schoolId,
        record.id,
        record.seq,
        record.userId,
        record.type,
        JSON.stringify(record.verdict),
        record.decidedAt,
      );
    },
  };
}
