import { rosterOn, type IsoDate, type MisData, type PersonStatus, type RosterView } from '@schoolping/shared';
import type { Db } from '../../db/database.ts';
import { loadRoster, schoolById } from '../../db/school-store.ts';

export type Change = 'joined' | 'left' | 'moved' | 'returned';

export interface ChangeEntry {
  readonly day: IsoDate;
  readonly change: Change;
  readonly kind: 'pupil' | 'contact';
  readonly misId: string;
  readonly detail: Readonly<Record<string, string | null>>;
}

interface StateRow {
  kind: 'pupil' | 'contact';
  mis_id: string;
  status: PersonStatus;
  registration_group_id: string | null;
}

/**
 * The daily job (02:00 London, and after every ingest): work out the roster as of now with the
 * shared rules and record what changed since it last ran. The first run records a baseline only.
 */
export function runDaily(db: Db, schoolId: number, now: Date, mis?: MisData): ChangeEntry[] {
  const school = schoolById(db, schoolId);
  if (!school) throw new Error(`No school ${schoolId}`);
  const roster = rosterOn(mis ?? loadRoster(db, school), now);
  const { day: lastDay } = db
    .prepare('SELECT max(day) AS day FROM daily_runs WHERE school_id = ?')
    .get(schoolId) as {
    day: IsoDate | null;
  };
  // Never go backwards: a day already applied (by a run "as of" a later date) stays applied.
  if (lastDay !== null && roster.day < lastDay) return [];
  const previous = db.prepare('SELECT * FROM roster_state WHERE school_id = ?').all(schoolId) as StateRow[];
  const changes = previous.length === 0 ? [] : diff(roster, previous);

  const insertChange = db.prepare(
    'INSERT INTO change_log (school_id, day, recorded_at, change, kind, mis_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  for (const entry of changes) {
    insertChange.run(
      schoolId,
      entry.day,
      now.toISOString(),
      entry.change,
      entry.kind,
      entry.misId,
      JSON.stringify(entry.detail),
    );
  }
  const upsertState = db.prepare(
    `INSERT INTO roster_state (school_id, kind, mis_id, status, registration_group_id) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (school_id, kind, mis_id) DO UPDATE SET status = excluded.status, registration_group_id = excluded.registration_group_id`,
  );
  // Only what changed is written: most nights almost nothing does.
  const known = new Map(previous.map((row) => [`${row.kind}:${row.mis_id}`, row]));
  const write = (
    kind: 'pupil' | 'contact',
    misId: string,
    status: PersonStatus,
    groupId: string | null,
  ): void => {
    const old = known.get(`${kind}:${misId}`);
    if (old?.status === status && old.registration_group_id === groupId) return;
    upsertState.run(schoolId, kind, misId, status, groupId);
  };
  for (const pupil of roster.pupils.values())
    write('pupil', pupil.id, pupil.status, pupil.registrationGroupId);
  for (const contact of roster.contacts.values()) write('contact', contact.id, contact.status, null);
  for (const entry of changes) {
    if (entry.kind === 'contact' && entry.detail.reason === 'no longer linked')
      write('contact', entry.misId, 'leaver', null);
  }
  // Sessions past their absolute end are gone for good; idle ones are ended when next presented.
  db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now.toISOString());
  db.prepare('INSERT OR REPLACE INTO daily_runs (school_id, day, ran_at) VALUES (?, ?, ?)').run(
    schoolId,
    roster.day,
    now.toISOString(),
  );
  return changes;
}

function diff(roster: RosterView, previous: readonly StateRow[]): ChangeEntry[] {
  const before = new Map(previous.map((row) => [`${row.kind}:${row.mis_id}`, row]));
  const changes: ChangeEntry[] = [];
  const day = roster.day;
  const groupName = (id: string | null): string | null =>
    id === null ? null : (roster.groups.get(id)?.name ?? id);
  for (const pupil of roster.pupils.values()) {
    const old = before.get(`pupil:${pupil.id}`);
    const name = `${pupil.forename} ${pupil.surname}`;
    const change = statusChange(old?.status, pupil.status);
    if (change)
      changes.push({
        day,
        change,
        kind: 'pupil',
        misId: pupil.id,
        detail: { name, class: groupName(pupil.registrationGroupId) },
      });
    else if (
      // Getting a first class is not a move; leaving one for another, or for none, is.
      pupil.status === 'active' &&
      old?.registration_group_id != null &&
      old.registration_group_id !== pupil.registrationGroupId
    ) {
      const detail = {
        name,
        from: groupName(old.registration_group_id),
        to: groupName(pupil.registrationGroupId),
      };
      changes.push({ day, change: 'moved', kind: 'pupil', misId: pupil.id, detail });
    }
  }
  // A contact no child is linked to any more (unlinked in the MIS, say) has left like any other.
  for (const row of previous) {
    if (row.kind === 'contact' && row.status === 'active' && !roster.contacts.has(row.mis_id)) {
      changes.push({
        day,
        change: 'left',
        kind: 'contact',
        misId: row.mis_id,
        detail: { name: null, reason: 'no longer linked' },
      });
    }
  }
  for (const contact of roster.contacts.values()) {
    const change = statusChange(before.get(`contact:${contact.id}`)?.status, contact.status);
    if (change)
      changes.push({
        day,
        change,
        kind: 'contact',
        misId: contact.id,
        detail: { name: `${contact.forename} ${contact.surname}` },
      });
  }
  return changes;
}

function statusChange(before: PersonStatus | undefined, after: PersonStatus): Change | null {
  if (before === undefined) return after === 'active' ? 'joined' : null;
  if (before === after) return null;
  return after === 'leaver' ? 'left' : 'returned';
}

export function changesOn(db: Db, schoolId: number, day: IsoDate): ChangeEntry[] {
  const rows = db
    .prepare(
      'SELECT day, change, kind, mis_id, detail FROM change_log WHERE school_id = ? AND day = ? ORDER BY id',
    )
    .all(schoolId, day) as {
    day: IsoDate;
    change: Change;
    kind: 'pupil' | 'contact';
    mis_id: string;
    detail: string;
  }[];
  return rows.map((row) => ({
    day: row.day,
    change: row.change,
    kind: row.kind,
    misId: row.mis_id,
    detail: JSON.parse(row.detail) as Record<string, string | null>,
  }));
}

class Rollback extends Error {}

/** What the daily job would record, without recording it. */
export function previewDaily(db: Db, schoolId: number, now: Date): ChangeEntry[] {
  let changes: ChangeEntry[] = [];
  try {
    db.transaction(() => {
      changes = runDaily(db, schoolId, now);
      throw new Rollback();
    })();
  } catch (error) {
    if (!(error instanceof Rollback)) throw error;
  }
  return changes;
}
