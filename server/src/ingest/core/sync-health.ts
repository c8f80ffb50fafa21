import type { Db } from '../../db/database.ts';
import { recentRuns, runById, type StoredRun } from './runs.ts';

export type SyncState = 'ok' | 'late' | 'failing';

/** The seed's list: why a school's MIS feed stops, and what to do about it. */
export const LIKELY_CAUSES = [
  'Your MIS server has undergone maintenance.',
  'You have had a new MIS server installed.',
  'The MIS software you use has been updated.',
  'Your MIS server has been shut down.',
  'There have been changes to your network configuration, e.g. anti-virus, firewalls, proxy, port or hostname/IP changes.',
  'The username or password for the MIS account used by Xporter has been changed, or the account has been removed in your MIS.',
  'The Groupcall Xporter application or service has stopped running on your server.',
  'The Groupcall Xporter application has been uninstalled from your MIS server.',
] as const;

export const NEXT_STEPS = [
  'First, contact your IT or MIS support team to find out whether any of these apply.',
  'If you have had work done on your server or a new server installed, follow Groupcall’s guide to moving Xporter from your old MIS server to the new one.',
  'If that does not fix it, or you are unsure how to proceed, contact Groupcall Support: they will contact you and help you get Xporter working again.',
] as const;

const EXPECTED_INTERVAL_HOURS = 24;

export interface SyncHealth {
  readonly status: SyncState;
  readonly lastGoodSync: string | null;
  readonly nextExpectedBy: string | null;
  readonly lateAfterHours: number;
  readonly lastRun: StoredRun | null;
  readonly heldSnapshots: number;
  readonly summary: string;
  readonly likelyCauses: readonly string[];
  readonly nextSteps: readonly string[];
}

export function syncHealth(db: Db, schoolId: number, now: Date): SyncHealth {
  const { late_after_hours: lateAfterHours } = db
    .prepare('SELECT late_after_hours FROM schools WHERE id = ?')
    .get(schoolId) as { late_after_hours: number };
  const [lastRun = null] = recentRuns(db, schoolId, 1);
  const goodRow = db
    .prepare("SELECT max(id) AS id FROM ingest_runs WHERE school_id = ? AND outcome = 'applied'")
    .get(schoolId) as { id: number | null };
  const lastGood = goodRow.id === null ? null : runById(db, goodRow.id);
  const held = (
    db
      .prepare("SELECT count(*) AS n FROM held_snapshots WHERE school_id = ? AND status = 'held'")
      .get(schoolId) as { n: number }
  ).n;
  const hoursSinceGood = lastGood ? (now.getTime() - Date.parse(lastGood.receivedAt)) / 3_600_000 : Infinity;
  const isFailing = lastRun !== null && lastRun.outcome !== 'applied' && lastRun.id !== lastGood?.id;
  const status: SyncState = isFailing ? 'failing' : hoursSinceGood > lateAfterHours ? 'late' : 'ok';
  const nextExpectedBy = lastGood
    ? new Date(Date.parse(lastGood.receivedAt) + EXPECTED_INTERVAL_HOURS * 3_600_000).toISOString()
    : null;
  return {
    status,
    lastGoodSync: lastGood?.receivedAt ?? null,
    nextExpectedBy,
    lateAfterHours,
    lastRun,
    heldSnapshots: held,
    summary: describe(status, lastGood, lastRun, held, lateAfterHours),
    likelyCauses: status === 'ok' ? [] : LIKELY_CAUSES,
    nextSteps: status === 'ok' ? [] : NEXT_STEPS,
  };
}

function describe(
  status: SyncState,
  lastGood: StoredRun | null,
  lastRun: StoredRun | null,
  held: number,
  late: number,
): string {
  const heldNote =
    held > 0 ? ` ${held} snapshot${held === 1 ? ' is' : 's are'} held for an admin to check.` : '';
  if (status === 'ok') return `The MIS sync is working.${heldNote}`;
  if (status === 'failing' && lastRun) {
    const why =
      lastRun.outcome === 'held' ? 'was held because it lacked many pupils' : `was ${lastRun.outcome}`;
    return `The last MIS sync ${why}; nothing has been applied since ${lastGood?.receivedAt ?? 'the school was set up'}.${heldNote}`;
  }
  return lastGood
    ? `No MIS data has arrived for more than ${late} hours (last good sync ${lastGood.receivedAt}).${heldNote}`
    : `No MIS data has arrived yet.${heldNote}`;
}
