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
