import type { Db } from '../../db/database.ts';
import type { Counts } from './roster-records.ts';
import type { IngestIssue, RosterBatch } from './types.ts';

export type RunSource = 'xporter' | 'oneroster' | 'xporter-pull';
export type RunOutcome = 'applied' | 'held' | 'rejected' | 'failed';

export interface RunRecord {
  readonly schoolId: number;
  readonly source: RunSource;
  readonly mode: RosterBatch['mode'] | null;
  readonly outcome: RunOutcome;
  readonly receivedAt: Date;
  readonly durationMs: number;
  readonly counts: Counts;
  readonly warnings: readonly IngestIssue[];
  readonly errors: readonly IngestIssue[];
}

export const NO_COUNTS: Counts = { added: 0, updated: 0, left: 0, unchanged: 0 };

/** Every run is recorded, refused ones too: sync health is read from this table. */
export function recordRun(db: Db, run: RunRecord): number {
  const result = db
    .prepare(
      `INSERT INTO ingest_runs (school_id, source, mode, outcome, received_at, duration_ms, counts, warnings, errors)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      run.schoolId,
      run.source,
      run.mode,
      run.outcome,
      run.receivedAt.toISOString(),
      Math.round(run.durationMs),
      JSON.stringify(run.counts),
      JSON.stringify(run.warnings),
      JSON.stringify(run.errors),
    );
  return Number(result.lastInsertRowid);
}

export interface StoredRun {
  readonly id: number;
  readonly source: RunSource;
  readonly mode: RosterBatch['mode'] | null;
  readonly outcome: RunOutcome;
  readonly receivedAt: string;
  readonly durationMs: number;
  readonly counts: Counts;
  readonly warningCount: number;
  readonly errors: readonly IngestIssue[];
}

interface RunRow {
  id: number;
  source: RunSource;
  mode: RosterBatch['mode'] | null;
  outcome: RunOutcome;
  received_at: string;
  duration_ms: number;
  counts: string;
  warnings: string;
  errors: string;
}

export function recentRuns(db: Db, schoolId: number, limit = 20): StoredRun[] {
  const rows = db
    .prepare('SELECT * FROM ingest_runs WHERE school_id = ? ORDER BY id DESC LIMIT ?')
    .all(schoolId, limit) as RunRow[];
  return rows.map(toStoredRun);
}

export function runById(db: Db, id: number): StoredRun | null {
  const row = db.prepare('SELECT * FROM ingest_runs WHERE id = ?').get(id) as RunRow | undefined;
  return row ? toStoredRun(row) : null;
}

function toStoredRun(row: RunRow): StoredRun {
  return {
    id: row.id,
    source: row.source,
    mode: row.mode,
    outcome: row.outcome,
    receivedAt: row.received_at,
    durationMs: row.duration_ms,
    counts: JSON.parse(row.counts) as Counts,
    warningCount: (JSON.parse(row.warnings) as unknown[]).length,
    errors: JSON.parse(row.errors) as IngestIssue[],
  };
}

/** The latest runs with their warnings written out, for the MIS sync screen. */
export function recentRunsWithWarnings(
  db: Db,
  schoolId: number,
  limit: number,
): (StoredRun & { readonly warnings: IngestIssue[] })[] {
  const rows = db
    .prepare('SELECT * FROM ingest_runs WHERE school_id = ? ORDER BY id DESC LIMIT ?')
    .all(schoolId, limit) as RunRow[];
  return rows.map((row) => ({ ...toStoredRun(row), warnings: JSON.parse(row.warnings) as IngestIssue[] }));
}

/**
 * Each day from `firstDay` to `lastDay`: runs applied and not applied (by the UTC day they
 * arrived), and pupils the change log says joined or left that school day.
 */
export function runsByDay(
  db: Db,
  schoolId: number,
  firstDay: string,
  lastDay: string,
): { day: string; applied: number; notApplied: number; pupilsJoined: number; pupilsLeft: number }[] {
  const runs = db
    .prepare(
      `SELECT substr(received_at, 1, 10) AS day, sum(outcome = 'applied') AS applied, sum(outcome != 'applied') AS notApplied
       FROM ingest_runs WHERE school_id = ? AND received_at >= ? AND substr(received_at, 1, 10) <= ? GROUP BY day`,
    )
    .all(schoolId, firstDay, lastDay) as { day: string; applied: number; notApplied: number }[];
  const changes = db
    .prepare(
      `SELECT day, sum(change = 'joined') AS joined, sum(change = 'left') AS left FROM change_log
       WHERE school_id = ? AND kind = 'pupil' AND day >= ? AND day <= ? GROUP BY day`,
    )
    .all(schoolId, firstDay, lastDay) as { day: string; joined: number; left: number }[];
  const runsOn = new Map(runs.map((row) => [row.day, row]));
  const changesOn = new Map(changes.map((row) => [row.day, row]));
  const out = [];
  for (
    let at = Date.parse(`${firstDay}T00:00:00Z`);
    at <= Date.parse(`${lastDay}T00:00:00Z`);
    at += 86_400_000
  ) {
    const day = new Date(at).toISOString().slice(0, 10);
    out.push({
      day,
      applied: runsOn.get(day)?.applied ?? 0,
      notApplied: runsOn.get(day)?.notApplied ?? 0,
      pupilsJoined: changesOn.get(day)?.joined ?? 0,
      pupilsLeft: changesOn.get(day)?.left ?? 0,
    });
  }
  return out;
}
