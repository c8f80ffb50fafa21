import { dateIn, academicYearOf } from '../demo/layout.ts';
import type { IsoDate } from '../dates.ts';
import { rosterOn } from './roster-on.ts';
import type { MisData, PersonStatus } from './types.ts';

/*
 * The year-end leavers check: every pupil who is (or, run ahead of time, will be) a leaver on a
 * date this academic year, with each of their contacts' expected status by the seed's rule and
 * the status actually applied, flagging what is not as expected.
 */

export type LeaverFlag =
  'parent-still-active' | 'parent-marked-leaver-while-sibling-stays' | 'pupil-still-active';

export interface LeaverContactRow {
  readonly misId: string;
  readonly name: string;
  readonly relationship: string;
  readonly expected: PersonStatus;
  /** What the server has applied so far; null where nothing is applied yet. */
  readonly actual: PersonStatus | null;
  readonly flag: LeaverFlag | null;
}

export interface LeaverRow {
  readonly misId: string;
  readonly name: string;
  readonly leavingDate: IsoDate;
  readonly expected: PersonStatus;
  readonly actual: PersonStatus | null;
  readonly flag: LeaverFlag | null;
  readonly contacts: readonly LeaverContactRow[];
}

export interface LeaversCheck {
  readonly date: IsoDate;
  readonly pupils: readonly LeaverRow[];
  readonly flagged: number;
}

/** `applied` answers the status the server applied for a pupil or contact, if any. */
export type AppliedStatus = (kind: 'pupil' | 'contact', misId: string) => PersonStatus | null;

/**
 * `expectedOn` is the day statuses are expected for: the check's date, or, when the server has
 * already applied a later day, that day, so expected and applied describe the same moment.
 */
export function leaversCheck(
  mis: MisData,
  date: IsoDate,
  applied: AppliedStatus,
  expectedOn: IsoDate = date,
): LeaversCheck {
  const yearStart = dateIn(academicYearOf(date), 9, 1);
  const roster = rosterOn(mis, expectedOn);
  const contactsById = new Map(mis.contacts.map((contact) => [contact.id, contact]));
  const pupils = mis.pupils
    .filter(
      (pupil) => pupil.leavingDate !== null && pupil.leavingDate >= yearStart && pupil.leavingDate <= date,
    )
    .toSorted((a, b) => a.surname.localeCompare(b.surname) || a.forename.localeCompare(b.forename));
  const rows = pupils.map((pupil): LeaverRow => {
    const actual = applied('pupil', pupil.id);
    const contacts = mis.links
      .filter((link) => link.pupilId === pupil.id)
      .toSorted((a, b) => a.priority - b.priority)
      .map((link): LeaverContactRow => {
        const contact = contactsById.get(link.contactId);
        const expected = roster.contacts.get(link.contactId)?.status ?? 'leaver';
        const actualContact = applied('contact', link.contactId);
        return {
          misId: link.contactId,
          name: contact ? `${contact.forename} ${contact.surname}` : `contact ${link.contactId}`,
          relationship: link.relationship,
          expected,
          actual: actualContact,
          flag: contactFlag(expected, actualContact),
        };
      });
    return {
      misId: pupil.id,
      name: `${pupil.forename} ${pupil.surname}`,
      leavingDate: pupil.leavingDate ?? date,
      expected: 'leaver',
      actual,
      flag: actual === 'active' ? 'pupil-still-active' : null,
      contacts,
    };
  });
  const flagged = rows.reduce(
    (total, row) => total + (row.flag ? 1 : 0) + row.contacts.filter((c) => c.flag).length,
    0,
  );
  return { date, pupils: rows, flagged };
}

function contactFlag(expected: PersonStatus, actual: PersonStatus | null): LeaverFlag | null {
  if (actual === null || actual === expected) return null;
  return expected === 'leaver' ? 'parent-still-active' : 'parent-marked-leaver-while-sibling-stays';
}
