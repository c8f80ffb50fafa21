import { academicYearOf, demoSchool, londonDate, type MisData } from '@schoolping/shared';
import type { Db } from './db/database.ts';
import { createSchool, listSchools, saveWalletBook, type SchoolRow } from './db/school-store.ts';
import { ingestBatch } from './ingest/core/ingest.ts';
import { COMPLETE, type RosterBatch } from './ingest/core/types.ts';

/**
 * The demo's roster as one full snapshot, in the ingest's own terms. It goes through the same
 * path as a school's feed (merge, run record, the daily pass), so the demo has an MIS sync that
 * reads ok; it skips only the XoD translation, which would lose the demo's membership dates.
 */
export function demoBatch(mis: MisData): RosterBatch {
  return {
    source: 'xporter',
    mode: 'full',
    estab: mis.school.estab,
    schoolName: mis.school.name,
    records: {
      pupils: mis.pupils,
      contacts: mis.contacts,
      links: mis.links,
      groups: mis.groups,
      memberships: mis.memberships,
      staff: mis.staff,
    },
    removed: { pupil: [], contact: [], link: [], group: [], membership: [], staff: [] },
    complete: COMPLETE,
    warnings: [],
  };
}

/**
 * On a first run (no school yet) load the demo school for the current academic year, so that a
 * fresh clone shows a realistic school at once. Never touches a database that has a school.
 */
export function loadDemoOnFirstRun(db: Db, now: Date): SchoolRow | null {
  return db.transaction(() => {
    if (listSchools(db).length > 0) return null;
    const demo = demoSchool({ academicYear: academicYearOf(londonDate(now)) });
    const school = createSchool(db, demo.mis.school, now);
    ingestBatch(db, school, demoBatch(demo.mis), 'xporter', now);
    saveWalletBook(db, school.id, demo.book);
    return school;
  })();
}
