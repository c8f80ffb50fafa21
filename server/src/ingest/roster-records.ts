import type { MisContact, MisGroup, MisLink, MisMembership, MisPupil, MisStaff } from '@schoolping/shared';
import type { Db } from '../db/database.ts';
import { recordKey, type RecordKind } from './types.ts';

/** The stored roster as maps by record key, for working out what an ingest changes. */
export interface RecordMaps {
  pupil: Map<string, MisPupil>;
  contact: Map<string, MisContact>;
  link: Map<string, MisLink>;
  group: Map<string, MisGroup>;
  /** Keyed `group:pupil:startDate`, so a pupil who leaves a group and rejoins keeps both spells. */
  membership: Map<string, MisMembership>;
  staff: Map<string, MisStaff>;
}

export function membershipKey(membership: MisMembership): string {
  return `${recordKey.membership(membership)}:${membership.startDate}`;
}

export function emptyMaps(): RecordMaps {
  return {
    pupil: new Map(),
    contact: new Map(),
    link: new Map(),
    group: new Map(),
    membership: new Map(),
    staff: new Map(),
  };
}

export function cloneMaps(maps: RecordMaps): RecordMaps {
  return {
    pupil: new Map(maps.pupil),
    contact: new Map(maps.contact),
    link: new Map(maps.link),
    group: new Map(maps.group),
    membership: new Map(maps.membership),
    staff: new Map(maps.staff),
  };
}

export function loadRecordMaps(db: Db, schoolId: number): RecordMaps {
  const maps = emptyMaps();
  const rows = db
    .prepare('SELECT kind, mis_id, data FROM mis_records WHERE school_id = ? ORDER BY rowid')
    .iterate(schoolId) as Iterable<{ kind: RecordKind; mis_id: string; data: string }>;
  for (const row of rows) {
    // Written only by saveRecordChanges from checked records; read back as the same shapes.
    (maps[row.kind] as Map<string, unknown>).set(row.mis_id, JSON.parse(row.data));
  }
  return maps;
}

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
  const counts = zero();
  for (const each of Object.values(byKind)) {
    counts.added += each.added;
    counts.updated += each.updated;
    counts.left += each.left;
    counts.unchanged += each.unchanged;
  }
  return { counts, byKind };
}
