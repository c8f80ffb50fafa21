import type { Db } from '../../db/database.ts';
import type { RecordKind, RecordMaps } from '../../db/mis-records.ts';

export interface Counts {
  added: number;
  updated: number;
  left: number;
  unchanged: number;
}

export type CountsByKind = Record<RecordKind, Counts>;

export interface ChangeCounts {
  readonly counts: Counts;
  readonly byKind: CountsByKind;
}

const zero = (): Counts => ({ added: 0, updated: 0, left: 0, unchanged: 0 });

/** Write the difference between two record sets; `leftKeys` says which changes count as leaving. */
export function saveRecordChanges(
  db: Db,
  schoolId: number,
  before: RecordMaps,
  after: RecordMaps,
  leftKeys: ReadonlySet<string>,
): ChangeCounts {
  const byKind = {
    pupil: zero(),
    contact: zero(),
    link: zero(),
    group: zero(),
    membership: zero(),
    staff: zero(),
  };
  const upsert = db.prepare(
    `INSERT INTO mis_records (school_id, kind, mis_id, data) VALUES (?, ?, ?, ?)
     ON CONFLICT (school_id, kind, mis_id) DO UPDATE SET data = excluded.data`,
  );
  const remove = db.prepare('DELETE FROM mis_records WHERE school_id = ? AND kind = ? AND mis_id = ?');
  for (const kind of Object.keys(after) as RecordKind[]) {
    const counts = byKind[kind];
    const old = before[kind] as Map<string, unknown>;
    const next = after[kind] as Map<string, unknown>;
    for (const [key, value] of next) {
      const json = JSON.stringify(value);
      const previous = old.get(key);
      if (previous === undefined) counts.added++;
      else if (JSON.stringify(previous) === json) {
        counts.unchanged++;
        continue;
      } else if (leftKeys.has(`${kind}:${key}`)) counts.left++;
      else counts.updated++;
      upsert.run(schoolId, kind, key, json);
    }
    for (const key of old.keys()) {
      if (next.has(key)) continue;
      remove.run(schoolId, kind, key);
      counts.left++;
    }
  }
  const counts = totalOf(byKind);
  if (counts.added + counts.updated + counts.left > 0) {
    // Cached roster views are keyed by this: none outlives the records it was built from.
    db.prepare('UPDATE schools SET roster_version = roster_version + 1 WHERE id = ?').run(schoolId);
  }
  return { counts, byKind };
}

/** All kinds' counts added together. */
export function totalOf(byKind: CountsByKind): Counts {
  const total = zero();
  for (const each of Object.values(byKind)) {
    total.added += each.added;
    total.updated += each.updated;
    total.left += each.left;
    total.unchanged += each.unchanged;
  }
  return total;
}
