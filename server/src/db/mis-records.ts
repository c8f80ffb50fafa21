import type { MisContact, MisGroup, MisLink, MisMembership, MisPupil, MisStaff } from '@schoolping/shared';
import type { Db } from './database.ts';

/*
 * The roster as the mis_records table holds it: one row per record, keyed by kind and a key made
 * from the MIS's own ids. The key scheme is said here, once; ingest and the store both use it.
 */

export const RECORD_KINDS = ['pupil', 'contact', 'link', 'group', 'membership', 'staff'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** Record keys: the MIS's own id, or the ids a link or membership joins. */
export const recordKey = {
  link: (link: Pick<MisLink, 'pupilId' | 'contactId'>): string => `${link.pupilId}:${link.contactId}`,
  membership: (membership: Pick<MisMembership, 'groupId' | 'pupilId'>): string =>
    `${membership.groupId}:${membership.pupilId}`,
};

/** Keyed `group:pupil:startDate`, so a pupil who leaves a group and rejoins keeps both spells. */
export function membershipKey(membership: MisMembership): string {
  return `${recordKey.membership(membership)}:${membership.startDate}`;
}

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
