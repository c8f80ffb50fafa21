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
  /** Their class when they left, where known. */
  readonly className: string | null;
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

/** A pupil as the check needs them, from the MIS records or from a device's directory. */
export interface LeaverCandidate {
  readonly id: string;
  readonly name: string;
  /** Orders the list: surname, then forename. */
  readonly sortKey: string;
  readonly leavingDate: IsoDate | null;
  readonly className: string | null;
  readonly links: readonly {
    readonly contactId: string;
    readonly relationship: string;
    readonly priority: number;
  }[];
}

/** What the check reads: the server answers it from the MIS records, a device from its directory. */
export interface LeaversSource {
  readonly pupils: Iterable<LeaverCandidate>;
  contactName(contactId: string): string | null;
  /** The contact's status on `day` by the seed's rule (see `contactStatusFrom`). */
  contactStatusOn(contactId: string, day: IsoDate): PersonStatus;
}

/**
 * `expectedOn` is the day statuses are expected for: the check's date, or, when the server has
 * already applied a later day, that day, so expected and applied describe the same moment.
 */
export function checkLeavers(
  source: LeaversSource,
  date: IsoDate,
  applied: AppliedStatus,
  expectedOn: IsoDate = date,
): LeaversCheck {
  const yearStart = dateIn(academicYearOf(date), 9, 1);
  const pupils = [...source.pupils]
    .filter(
      (pupil) => pupil.leavingDate !== null && pupil.leavingDate >= yearStart && pupil.leavingDate <= date,
    )
    .toSorted((a, b) => a.sortKey.localeCompare(b.sortKey));
  const rows = pupils.map((pupil): LeaverRow => {
    const actual = applied('pupil', pupil.id);
    const contacts = pupil.links
      .toSorted((a, b) => a.priority - b.priority)
      .map((link): LeaverContactRow => {
        const expected = source.contactStatusOn(link.contactId, expectedOn);
        const actualContact = applied('contact', link.contactId);
        return {
          misId: link.contactId,
          name: source.contactName(link.contactId) ?? `contact ${link.contactId}`,
          relationship: link.relationship,
          expected,
          actual: actualContact,
          flag: contactFlag(expected, actualContact),
        };
      });
    return {
      misId: pupil.id,
      name: pupil.name,
      className: pupil.className,
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

/** The check from the MIS records, as the server and the command line run it. */
export function leaversCheck(
  mis: MisData,
  date: IsoDate,
  applied: AppliedStatus,
  expectedOn: IsoDate = date,
): LeaversCheck {
  const roster = rosterOn(mis, expectedOn);
  const contactsById = new Map(mis.contacts.map((contact) => [contact.id, contact]));
  const groupNames = new Map(mis.groups.map((group) => [group.id, group.name]));
  const classOf = (pupilId: string): string | null => {
    const group = roster.pupils.get(pupilId)?.registrationGroupId;
    return group ? (groupNames.get(group) ?? null) : null;
  };
  const source: LeaversSource = {
    pupils: mis.pupils.map((pupil) => ({
      id: pupil.id,
      name: `${pupil.forename} ${pupil.surname}`,
      sortKey: `${pupil.surname}\u0000${pupil.forename}`,
      leavingDate: pupil.leavingDate,
      className: classOf(pupil.id),
      links: mis.links.filter((link) => link.pupilId === pupil.id),
    })),
    contactName: (id) => {
      const contact = contactsById.get(id);
      return contact ? `${contact.forename} ${contact.surname}` : null;
    },
    // Expected on `expectedOn` only: the roster is built for that day.
    contactStatusOn: (id) => roster.contacts.get(id)?.status ?? 'leaver',
  };
  return checkLeavers(source, date, applied, expectedOn);
}

/**
 * Which day statuses are compared on, and what counts as applied, given the last day the server's
 * daily run applied: ahead of it nothing is due yet, so nothing can be "not as expected"; behind
 * it, what is applied now is compared with what the rules expect now.
 */
export function appliedFor(
  date: IsoDate,
  lastApplied: IsoDate | null,
  status: AppliedStatus,
): { readonly applied: AppliedStatus; readonly expectedOn: IsoDate } {
  const isDue = lastApplied !== null && date <= lastApplied;
  return { applied: isDue ? status : () => null, expectedOn: isDue ? lastApplied : date };
}

function contactFlag(expected: PersonStatus, actual: PersonStatus | null): LeaverFlag | null {
  if (actual === null || actual === expected) return null;
  return expected === 'leaver' ? 'parent-still-active' : 'parent-marked-leaver-while-sibling-stays';
}
