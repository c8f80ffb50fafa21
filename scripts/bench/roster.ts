import { demoSchool, rosterOn, type IsoDate } from '@schoolping/shared';
import type { Bench } from './measure.ts';

/** rosterOn for the 2,000-pupil secondary, against one plain pass over the same arrays. */
export function rosterBench(): Bench {
  const { mis } = demoSchool({ size: 'secondary' });
  const day = '2026-11-28' as IsoDate;
  return {
    name: 'rosterOn, 2,000-pupil secondary',
    baselineName: 'one plain pass copying the same arrays',
    note: `${mis.pupils.length} pupils, ${mis.contacts.length} contacts, ${mis.links.length} links, ${mis.memberships.length} memberships, ${mis.staff.length} staff. The baseline copies every record once.`,
    runs: 60,
    subject: () => rosterOn(mis, day).pupils.size,
    // One plain pass that copies every record once: the least any view of the roster must do. A pass
    // that only reads a field is so cheap the JIT all but removes it, and the ratio becomes noise.
    baseline: () => {
      const copies: object[] = [];
      for (const list of [mis.pupils, mis.contacts, mis.links, mis.groups, mis.memberships, mis.staff]) {
        for (const record of list) copies.push({ ...record });
      }
      return copies.length;
    },
  };
}
