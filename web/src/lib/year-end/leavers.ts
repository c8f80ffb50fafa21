import {
  academicYearOf,
  directoryLeaversCheck,
  formatDate,
  type DirectoryContact,
  type DirectoryPupil,
  type IsoDate,
  type LeaverContactRow,
  type LeaverFlag,
  type LeaverRow,
  type LeaversCheck,
  type PersonStatus,
} from '@schoolping/shared';
import type { Doc } from 'yjs';
import { csv } from '../csv';
import { entriesOf } from '../messages/docs';

/** What the leavers check reads from the directory document on this device. */
export interface LeaversDirectory {
  readonly pupils: ReadonlyMap<string, DirectoryPupil>;
  readonly contacts: ReadonlyMap<string, DirectoryContact>;
  /** The school day the directory shows, as the server counts days. */
  readonly day: IsoDate | null;
  readonly appliedDay: IsoDate | null;
  readonly schoolName: string;
}

export function readLeaversDirectory(doc: Doc | undefined): LeaversDirectory {
  const meta = doc?.getMap('meta');
  return {
    pupils: entriesOf<DirectoryPupil>(doc, 'pupils'),
    contacts: entriesOf<DirectoryContact>(doc, 'contacts'),
    day: (meta?.get('day') as IsoDate | undefined) ?? null,
    appliedDay: (meta?.get('appliedDay') as IsoDate | null | undefined) ?? null,
    schoolName: (meta?.get('schoolName') as string | undefined) ?? '',
  };
}

/**
 * The check's date when none is chosen: the day most of this academic year's leavers leave on
 * (the year-6 leave date in a primary school), the later one on a tie; today if nobody leaves.
 */
export function usualLeaveDate(directory: LeaversDirectory, today: IsoDate): IsoDate {
  const year = academicYearOf(today);
  const counts = new Map<IsoDate, number>();
  for (const pupil of directory.pupils.values()) {
    if (pupil.leavingDate !== null && academicYearOf(pupil.leavingDate) === year)
      counts.set(pupil.leavingDate, (counts.get(pupil.leavingDate) ?? 0) + 1);
  }
  let best: IsoDate = today;
  let bestCount = 0;
  for (const [date, count] of counts) {
    if (count > bestCount || (count === bestCount && date > best)) {
      best = date;
      bestCount = count;
    }
  }
  return best;
}

/** The check on this device, anything not as expected first; otherwise in surname order. */
export function leaversOn(directory: LeaversDirectory, date: IsoDate): LeaversCheck {
  const check = directoryLeaversCheck(directory.pupils, directory.contacts, directory.appliedDay, date);
  const isFlagged = (row: LeaverRow): boolean =>
    row.flag !== null || row.contacts.some((contact) => contact.flag !== null);
  return { ...check, pupils: check.pupils.toSorted((a, b) => Number(isFlagged(b)) - Number(isFlagged(a))) };
}

export const FLAG_WORDS: Record<LeaverFlag, string> = {
  'pupil-still-active': 'Still on roll: the daily run has not marked them as a leaver',
  'parent-still-active': 'Still active, though every child has left',
  'parent-marked-leaver-while-sibling-stays': 'Marked as a leaver, though a child stays',
};

/** A pupil's expected status is always "Leaver"; a contact expected to stay is shown as staying. */
export function expectedWords(row: LeaverRow | LeaverContactRow, isContact: boolean): string {
  if (row.expected === 'leaver') return 'Leaver';
  return isContact ? 'Staying (a child stays)' : 'On roll';
}

export function appliedWords(status: PersonStatus | null): string {
  if (status === null) return 'Not yet applied';
  return status === 'leaver' ? 'Leaver' : 'Active';
}

/** One line per leaver and one per contact beneath, as the table shows them. */
export function leaversCsv(check: LeaversCheck): string {
  return csv([
    ['leaver', 'contact', 'relationship', 'class', 'leaves', 'expected', 'applied', 'not as expected'],
    ...check.pupils.flatMap((pupil) => [
      [
        pupil.name,
        '',
        '',
        pupil.className ?? '',
        pupil.leavingDate,
        expectedWords(pupil, false),
        appliedWords(pupil.actual),
        pupil.flag ? FLAG_WORDS[pupil.flag] : '',
      ],
      ...pupil.contacts.map((contact) => [
        pupil.name,
        contact.name,
        contact.relationship,
        '',
        '',
        expectedWords(contact, true),
        appliedWords(contact.actual),
        contact.flag ? FLAG_WORDS[contact.flag] : '',
      ]),
    ]),
  ]);
}

/** "Leavers check for 23 Jul 2027": the heading and the print's title. */
export const checkTitle = (date: IsoDate): string => `Leavers check for ${formatDate(date)}`;
