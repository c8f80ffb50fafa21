import { academicYearOf, demoSchool, londonDate } from '@schoolping/shared';
import type { Db } from './db/database.ts';
import { createSchool, listSchools, saveRoster, saveWalletBook, type SchoolRow } from './db/school-store.ts';

/**
 * On a first run (no school yet) load the demo school for the current academic year, so that a
 * fresh clone shows a realistic school at once. Never touches a database that has a school.
 */
export function loadDemoOnFirstRun(db: Db, now: Date): SchoolRow | null {
  return db.transaction(() => {
    if (listSchools(db).length > 0) return null;
    const demo = demoSchool({ academicYear: academicYearOf(londonDate(now)) });
    const school = createSchool(db, demo.mis.school, now);
    saveRoster(db, school.id, demo.mis);
    saveWalletBook(db, school.id, demo.book);
    return school;
  })();
}
