import { demoSchool, rosterOn, type IsoDate } from '@schoolping/shared';
import type { Bench } from './measure.ts';

/** rosterOn for the 2,000-pupil secondary, against one plain pass over the same arrays. */
export function rosterBench(): Bench {
  const { mis } = demoSchool({ size: 'secondary' });
  const day = '2026-11-28' as IsoDate;
  return {
    name: 'rosterOn, 2,000-pupil secondary',
    baselineName: 'one plain pass over the same arrays',
    note: `${mis.pupils.length} pupils, ${mis.contacts.length} contacts, ${mis.links.length} links, ${mis.memberships.length} memberships, ${mis.staff.length} staff. The baseline reads one field of every record once.`,
    runs: 30,
    subject: () => rosterOn(mis, day).pupils.size,
    baseline: () => {
      let touched = 0;
      for (const pupil of mis.pupils) if (pupil.leavingDate !== null && pupil.leavingDate <= day) touched++;
      for (const contact of mis.contacts) if (contact.doNotContact) touched++;
      for (const link of mis.links) touched += link.priority;
      for (const group of mis.groups) touched += group.name.length;
      for (const membership of mis.memberships) if (membership.startDate < day) touched++;
      for (const member of mis.staff) if (member.leavingDate === null) touched++;
      return touched;
    },
  };
}
