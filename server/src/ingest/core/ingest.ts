import { addDays, effectiveDay, hasStartedOn, isLeaverOn, type IsoDate } from '@schoolping/shared';
import { createHash } from 'node:crypto';
import { audit } from '../../auth/audit.ts';
import { endAllSessions } from '../../auth/sessions.ts';
import type { Db } from '../../db/database.ts';
import { blockedContacts, toMisData, type SchoolRow } from '../../db/school-store.ts';
import { runDaily } from './daily.ts';
import { mergeBatch } from './merge.ts';
import { loadRecordMaps, type RecordMaps } from '../../db/mis-records.ts';
import { saveRecordChanges, totalOf, type Counts, type CountsByKind } from './roster-records.ts';
import { NO_COUNTS, recordRun, type RunSource } from './runs.ts';
import type { IngestIssue, RecordKind, RosterBatch } from './types.ts';

/** A feed dropping more than this share of pupils on roll (with no leave date) is held. */
export const HOLD_THRESHOLD = 0.1;

export type IngestOutcome =
  | {
      readonly outcome: 'applied';
      readonly runId: number;
      /** Records of every kind; `byKind` says how many pupils, contacts, links… */
      readonly counts: Counts;
      readonly byKind: CountsByKind;
      readonly warnings: readonly IngestIssue[];
    }
  | {
      readonly outcome: 'held';
      readonly runId: number;
      readonly heldId: number;
      readonly missing: number;
      readonly onRoll: number;
      readonly warnings: readonly IngestIssue[];
    };

export interface MissingPupils {
  /** On roll with no leave date, and missing: what decides whether a snapshot is held. */
  readonly missing: number;
  readonly onRoll: number;
  /**
   * Everyone applying it would take off the roll (at the next 02:00 run): the missing above, and
   * pupils missing whose leave date had not yet come. Names surname first, the first 200 by name.
   */
  readonly removals: { readonly count: number; readonly names: readonly string[] };
}

const NAMES_KEPT = 200;

/** Pupils on roll with no leave date whom a feed drops without explanation. */
export function missingPupils(stored: RecordMaps, batch: RosterBatch, day: IsoDate): MissingPupils {
  // A changeset "misses" the pupils it lists as no longer in the result; a snapshot, those it leaves out.
  const removed = new Set(batch.removed.pupil);
  const incoming = new Set(batch.records.pupils.map((pupil) => pupil.id));
  const isMissing = (id: string): boolean => (batch.mode === 'full' ? !incoming.has(id) : removed.has(id));
  let onRoll = 0;
  let missing = 0;
  const names: string[] = [];
  // Missing pupils leave at the next 02:00 run (see mergeBatch): only a later leave date changes,
  // and only for a pupil on roll by then (one yet to start is not taken off it).
  const tonight = addDays(day, 1);
  for (const pupil of stored.pupil.values()) {
    const isUndated = pupil.leavingDate === null;
    if (isUndated) onRoll++;
    if (!isMissing(pupil.id)) continue;
    if (isUndated) missing++;
    if ((isUndated || pupil.leavingDate > tonight) && hasStartedOn(pupil.entryDate, tonight))
      names.push(`${pupil.surname}, ${pupil.forename}`);
  }
  const sorted = names.sort((a, b) => a.localeCompare(b));
  return { missing, onRoll, removals: { count: sorted.length, names: sorted.slice(0, NAMES_KEPT) } };
}

export function shouldHold({ missing, onRoll }: MissingPupils): boolean {
  return onRoll > 0 && missing / onRoll > HOLD_THRESHOLD;
}

/**
 * Apply one checked batch in a single transaction: the roster, the run record and the day's change
 * log together, or none of them. `accept` applies a snapshot even if it would be held.
 */
export function ingestBatch(
  db: Db,
  school: SchoolRow,
  batch: RosterBatch,
  source: RunSource,
  now: Date,
  options: { readonly accept?: boolean } = {},
): IngestOutcome {
  const started = performance.now();
  return db
    .transaction((): IngestOutcome => {
      const run = {
        schoolId: school.id,
        source,
        mode: batch.mode,
        receivedAt: now,
        warnings: batch.warnings,
        errors: [],
      };
      const finish = (counts: Counts): number =>
        recordRun(db, { ...run, outcome: 'applied', counts, durationMs: performance.now() - started });
      const digest = batchDigest(batch);
      if (isLastApplied(db, school.id, digest)) {
        // Applying the same batch twice changes nothing (a property test holds us to it): skip the merge.
        const byKind = storedCounts(db, school.id);
        return {
          outcome: 'applied',
          runId: finish(totalOf(byKind)),
          counts: totalOf(byKind),
          byKind,
          warnings: batch.warnings,
        };
      }
      const stored = loadRecordMaps(db, school.id);
      const gap = missingPupils(stored, batch, effectiveDay(now));
      if (!options.accept && shouldHold(gap)) {
        const waiting = db
          .prepare("SELECT id FROM held_snapshots WHERE school_id = ? AND status = 'held' AND digest = ?")
          .get(school.id, digest) as { id: number } | undefined;
        const runId = recordRun(db, {
          ...run,
          outcome: 'held',
          counts: NO_COUNTS,
          durationMs: performance.now() - started,
        });
        // The same feed held again (a pull every few hours) is stored once.
        const heldId =
          waiting?.id ??
          Number(
            db
              .prepare(
                'INSERT INTO held_snapshots (school_id, run_id, batch, digest, missing, on_roll, removals) VALUES (?, ?, ?, ?, ?, ?, ?)',
              )
              .run(
                school.id,
                runId,
                JSON.stringify(batch),
                digest,
                gap.missing,
                gap.onRoll,
                JSON.stringify(gap.removals),
              ).lastInsertRowid,
          );
        return {
          outcome: 'held',
          runId,
          heldId,
          missing: gap.missing,
          onRoll: gap.onRoll,
          warnings: batch.warnings,
        };
      }
      const { next, leftKeys } = mergeBatch(stored, batch, effectiveDay(now));
      const { counts, byKind } = saveRecordChanges(db, school.id, stored, next, leftKeys);
      db.prepare('UPDATE schools SET last_batch_digest = ? WHERE id = ?').run(digest, school.id);
      if (batch.schoolName && batch.schoolName !== school.name) {
        db.prepare('UPDATE schools SET name = ? WHERE id = ?').run(batch.schoolName, school.id);
      }
      endSessionsOfLeavers(db, school.id, next, now);
      // The 02:00 job covers the passing of days; after an ingest it matters only if something changed.
      if (counts.added + counts.updated + counts.left > 0) {
        runDaily(db, school.id, now, toMisData(school, next, blockedContacts(db, school.id)));
      }
      const runId = finish(counts);
      audit(
        db,
        {
          actor: `school:${school.id}`,
          action: 'ingest',
          object: `run:${runId}`,
          detail: { source, outcome: 'applied' },
        },
        now,
      );
      return { outcome: 'applied', runId, counts, byKind, warnings: batch.warnings };
    })
    .immediate();
}

/** Staff the MIS says have left lose access at once: every session ends now, not at next use. */
function endSessionsOfLeavers(db: Db, schoolId: number, roster: RecordMaps, now: Date): void {
  const today = effectiveDay(now);
  const rows = db
    .prepare(
      "SELECT DISTINCT u.id, u.mis_id FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.school_id = ? AND u.kind = 'staff'",
    )
    .all(schoolId) as {
    id: number;
    mis_id: string | null;
  }[];
  for (const row of rows) {
    const leavingDate = row.mis_id === null ? null : (roster.staff.get(row.mis_id)?.leavingDate ?? null);
    if (!isLeaverOn(leavingDate, today)) continue;
    const ended = endAllSessions(db, row.id);
    audit(
      db,
      {
        actor: `school:${schoolId}`,
        action: 'sessions-ended',
        object: `user:${row.id}`,
        detail: { ended, reason: 'left-school' },
      },
      now,
    );
  }
}

function batchDigest(batch: RosterBatch): string {
  return createHash('sha256')
    .update(JSON.stringify([batch.mode, batch.records, batch.removed]))
    .digest('hex');
}

function isLastApplied(db: Db, schoolId: number, digest: string): boolean {
  const row = db.prepare('SELECT last_batch_digest AS digest FROM schools WHERE id = ?').get(schoolId) as {
    digest: string | null;
  };
  return row.digest === digest;
}

function storedCounts(db: Db, schoolId: number): CountsByKind {
  const rows = db
    .prepare('SELECT kind, count(*) AS n FROM mis_records WHERE school_id = ? GROUP BY kind')
    .all(schoolId) as {
    kind: RecordKind;
    n: number;
  }[];
  const size = new Map(rows.map((row) => [row.kind, row.n]));
  const of = (kind: RecordKind): Counts => ({
    added: 0,
    updated: 0,
    left: 0,
    unchanged: size.get(kind) ?? 0,
  });
  return {
    pupil: of('pupil'),
    contact: of('contact'),
    link: of('link'),
    group: of('group'),
    membership: of('membership'),
    staff: of('staff'),
  };
}

/** A feed refused before anything was applied: recorded so sync health shows it. */
export function recordRefusal(
  db: Db,
  schoolId: number,
  source: RunSource,
  errors: readonly IngestIssue[],
  now: Date,
  durationMs: number,
): number {
  audit(
    db,
    {
      actor: `school:${schoolId}`,
      action: 'ingest',
      object: `school:${schoolId}`,
      detail: { source, outcome: 'rejected', errors: errors.length },
    },
    now,
  );
  return recordRun(db, {
    schoolId,
    source,
    mode: null,
    outcome: 'rejected',
    receivedAt: now,
    durationMs,
    counts: NO_COUNTS,
    warnings: [],
    errors,
  });
}
