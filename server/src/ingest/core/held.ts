import type { Db } from '../../db/database.ts';
import { schoolById } from '../../db/school-store.ts';
import { ingestBatch, type IngestOutcome } from './ingest.ts';
import type { RunSource } from './runs.ts';
import type { RosterBatch } from './types.ts';

export interface HeldSnapshot {
  readonly id: number;
  readonly schoolId: number;
  readonly runId: number;
  readonly receivedAt: string;
  readonly missing: number;
  readonly onRoll: number;
}

export function listHeld(db: Db): HeldSnapshot[] {
  return db
    .prepare(
      `SELECT h.id, h.school_id AS schoolId, h.run_id AS runId, r.received_at AS receivedAt, h.missing, h.on_roll AS onRoll
       FROM held_snapshots h JOIN ingest_runs r ON r.id = h.run_id WHERE h.status = 'held' ORDER BY h.id`,
    )
    .all() as HeldSnapshot[];
}

/** One school's held snapshots, with who each would take off the roll, for the MIS sync screen. */
export function heldForSchool(
  db: Db,
  schoolId: number,
): (HeldSnapshot & { readonly removing: number; readonly names: string[] })[] {
  const rows = db
    .prepare(
      `SELECT h.id, h.school_id AS schoolId, h.run_id AS runId, r.received_at AS receivedAt, h.missing,
         h.on_roll AS onRoll, h.removals
       FROM held_snapshots h JOIN ingest_runs r ON r.id = h.run_id
       WHERE h.status = 'held' AND h.school_id = ? ORDER BY h.id DESC`,
    )
    .all(schoolId) as (HeldSnapshot & { removals: string })[];
  return rows.map(({ removals, ...row }) => {
    const { count, names } = JSON.parse(removals) as { count: number; names: string[] };
    return { ...row, removing: count, names };
  });
}

/** Whose a held snapshot waiting for a decision is, and which feed brought it; null if none waits. */
export function heldSnapshotOwner(
  db: Db,
  id: number,
): { readonly schoolId: number; readonly source: RunSource } | null {
  const row = db
    .prepare(
      `SELECT h.school_id AS schoolId, r.source FROM held_snapshots h JOIN ingest_runs r ON r.id = h.run_id
       WHERE h.id = ? AND h.status = 'held'`,
    )
    .get(id) as { schoolId: number; source: RunSource } | undefined;
  return row ?? null;
}

export class HeldSnapshotError extends Error {}

function takeHeld(db: Db, id: number): { schoolId: number; runId: number; batch: RosterBatch } {
  const row = db
    .prepare("SELECT school_id, run_id, batch FROM held_snapshots WHERE id = ? AND status = 'held'")
    .get(id) as { school_id: number; run_id: number; batch: string } | undefined;
  if (!row) throw new HeldSnapshotError(`There is no held snapshot ${id} waiting for a decision.`);
  // Stored by ingestBatch from a checked batch.
  return { schoolId: row.school_id, runId: row.run_id, batch: JSON.parse(row.batch) as RosterBatch };
}

/** Apply a held snapshot as it is: an admin has confirmed the missing pupils really left. */
export function acceptHeld(db: Db, id: number, now: Date): IngestOutcome {
  return db.transaction(() => {
    const { schoolId, runId, batch } = takeHeld(db, id);
    const newer = db
      .prepare("SELECT count(*) AS n FROM ingest_runs WHERE school_id = ? AND id > ? AND outcome = 'applied'")
      .get(schoolId, runId) as { n: number };
    if (newer.n > 0) {
      throw new HeldSnapshotError(
        `Held snapshot ${id} is older than data applied since; applying it now would undo that. Discard it instead.`,
      );
    }
    const school = schoolById(db, schoolId);
    if (!school) throw new HeldSnapshotError(`School ${schoolId} no longer exists.`);
    const outcome = ingestBatch(db, school, batch, batch.source, now, { accept: true });
    db.prepare("UPDATE held_snapshots SET status = 'accepted', decided_at = ? WHERE id = ?").run(
      now.toISOString(),
      id,
    );
    return outcome;
  })();
}

export function discardHeld(db: Db, id: number, now: Date): void {
  db.transaction(() => {
    takeHeld(db, id);
    db.prepare("UPDATE held_snapshots SET status = 'discarded', decided_at = ? WHERE id = ?").run(
      now.toISOString(),
      id,
    );
  })();
}
