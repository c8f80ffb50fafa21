import { rosterCounts, rosterOn, type IsoDate, type SchoolSummary } from '@schoolping/shared';
import type { Db } from './db/database.ts';
import { listSchools, loadRoster, type SchoolRow } from './db/school-store.ts';

export function summarise(db: Db, school: SchoolRow, when: Date | IsoDate): SchoolSummary {
  const roster = rosterOn(loadRoster(db, school), when);
  return {
    id: school.id,
    name: school.name,
    estab: school.estab,
    asOf: roster.day,
    counts: rosterCounts(roster),
  };
}

export function defaultSchool(db: Db): SchoolRow | null {
  return listSchools(db)[0] ?? null;
}
