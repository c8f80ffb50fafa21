import {
  appliedFor,
  leaversCheck,
  type IsoDate,
  type LeaversCheck,
  type PersonStatus,
} from '@schoolping/shared';
import type { Db } from '../../db/database.ts';
import { loadRoster, type SchoolRow } from '../../db/school-store.ts';

/** The leavers check against what the daily job has applied so far. */
export function leaversReport(db: Db, school: SchoolRow, date: IsoDate): LeaversCheck {
  const lastApplied = (
    db.prepare('SELECT max(day) AS day FROM daily_runs WHERE school_id = ?').get(school.id) as {
      day: IsoDate | null;
    }
  ).day;
  const rows = db
    .prepare('SELECT kind, mis_id, status FROM roster_state WHERE school_id = ?')
    .all(school.id) as {
    kind: 'pupil' | 'contact';
    mis_id: string;
    status: PersonStatus;
  }[];
  const state = new Map(rows.map((row) => [`${row.kind}:${row.mis_id}`, row.status]));
  const { applied, expectedOn } = appliedFor(
    date,
    lastApplied,
    (kind, misId) => state.get(`${kind}:${misId}`) ?? null,
  );
  return leaversCheck(loadRoster(db, school), date, applied, expectedOn);
}
