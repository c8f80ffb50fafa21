import { addDays, effectiveDay, type IsoDate } from '../dates.ts';
import type {
  ContactView,
  GroupView,
  MisData,
  MisMembership,
  MisPupil,
  PersonStatus,
  PupilView,
  RosterView,
  StaffView,
} from './types.ts';

/*
 * The seed's timing rules, all decided on the school day of the latest 02:00 London run:
 * - a pupil is a leaver from the leave date itself;
 * - a new pupil, and with them their contacts, appears the day after the start date;
 * - a group change appears the day after it takes effect, so an old membership stays visible
 *   until its successor does;
 * - a contact is a leaver only when every linked child is, counting children admitted but not yet
 *   started as staying.
 */

export function isLeaverOn(leavingDate: IsoDate | null, day: IsoDate): boolean {
  return leavingDate !== null && leavingDate <= day;
}

/**
 * A contact becomes a leaver only when every linked child is a leaver, and none is about to start.
 * `statusOf` answers each linked child's status (undefined for one not on the roll that day).
 */
export function contactStatusFrom(
  childIds: readonly string[],
  statusOf: (pupilId: string) => PersonStatus | undefined,
  joiningChildren: number,
): PersonStatus {
  return joiningChildren === 0 && childIds.every((id) => statusOf(id) === 'leaver') ? 'leaver' : 'active';
}

export function hasStartedOn(entryDate: IsoDate, day: IsoDate): boolean {
  return entryDate < day;
}

export function isMembershipVisibleOn(membership: MisMembership, day: IsoDate): boolean {
  return isVisibleBetween(membership, day, addDays(day, -1));
}

function isVisibleBetween(membership: MisMembership, day: IsoDate, previousDay: IsoDate): boolean {
  // The day after the end date is when the move shows; until then the old group holds.
  return membership.startDate < day && (membership.endDate === null || membership.endDate >= previousDay);
}

/** `when` is an instant, or a school day meaning "after that day's 02:00 run". */
export function rosterOn(mis: MisData, when: Date | IsoDate): RosterView {
  const day = typeof when === 'string' ? when : effectiveDay(when);
  const previousDay = addDays(day, -1);
  // A group that ended is gone the day after its last day, as a membership is.
  const liveGroups = mis.groups.filter(
    (group) => group.endDate === undefined || group.endDate >= previousDay,
  );
  const groupKinds = new Map(liveGroups.map((group) => [group.id, group.kind]));

  const statuses = new Map<string, PersonStatus>();
  for (const pupil of mis.pupils) {
    if (hasStartedOn(pupil.entryDate, day))
      statuses.set(pupil.id, isLeaverOn(pupil.leavingDate, day) ? 'leaver' : 'active');
  }

  const yearOf = new Map<string, string>();
  const classOf = new Map<string, string>();
  const groupMembers = new Map<string, Set<string>>(liveGroups.map((group) => [group.id, new Set()]));
  for (const membership of mis.memberships) {
    const status = statuses.get(membership.pupilId);
    const members = groupMembers.get(membership.groupId);
    if (!status || !members || !isVisibleBetween(membership, day, previousDay)) continue;
    const kind = groupKinds.get(membership.groupId);
    if (kind === 'year') yearOf.set(membership.pupilId, membership.groupId);
    if (kind === 'registration') classOf.set(membership.pupilId, membership.groupId);
    if (status === 'active') members.add(membership.pupilId);
  }

  const pupils = new Map<string, PupilView>();
  const joining = new Map<string, MisPupil>();
  for (const pupil of mis.pupils) {
    const status = statuses.get(pupil.id);
    if (!status) {
      // Admitted but not started; one whose leave date has already come will never join.
      if (!isLeaverOn(pupil.leavingDate, day)) joining.set(pupil.id, pupil);
      continue;
    }
    const yearGroupId = yearOf.get(pupil.id) ?? null;
    pupils.set(pupil.id, {
      ...pupil,
      status,
      yearGroupId,
      registrationGroupId: classOf.get(pupil.id) ?? null,
    });
  }

  const groups = new Map<string, GroupView>();
  for (const group of liveGroups)
    groups.set(group.id, { ...group, pupilIds: [...(groupMembers.get(group.id) ?? [])] });

  const childrenOf = new Map<string, string[]>();
  const links = mis.links.filter((link) => pupils.has(link.pupilId));
  for (const link of links) {
    const children = childrenOf.get(link.contactId) ?? [];
    if (!children.includes(link.pupilId)) children.push(link.pupilId);
    childrenOf.set(link.contactId, children);
  }

  // A child admitted but not yet started keeps their family: that parent is not a leaver.
  const joiningChildrenOf = new Map<string, string[]>();
  for (const link of mis.links) {
    if (pupils.has(link.pupilId) || !joining.has(link.pupilId)) continue;
    joiningChildrenOf.set(link.contactId, [...(joiningChildrenOf.get(link.contactId) ?? []), link.pupilId]);
  }

  const contacts = new Map<string, ContactView>();
  for (const contact of mis.contacts) {
    const pupilIds = childrenOf.get(contact.id);
    if (!pupilIds) continue;
    const joiningPupilIds = joiningChildrenOf.get(contact.id) ?? [];
    contacts.set(contact.id, {
      ...contact,
      status: contactStatusFrom(pupilIds, (id) => pupils.get(id)?.status, joiningPupilIds.length),
      pupilIds,
      joiningPupilIds,
    });
  }

  const staff = new Map<string, StaffView>();
  for (const member of mis.staff) {
    staff.set(member.id, { ...member, status: isLeaverOn(member.leavingDate, day) ? 'leaver' : 'active' });
  }

  return { school: mis.school, day, pupils, joining, contacts, links, groups, staff };
}

export interface RosterCounts {
  readonly pupils: number;
  readonly contacts: number;
  readonly classes: number;
}

/** What the first page shows: people on roll and registration classes. */
export function rosterCounts(roster: RosterView): RosterCounts {
  let pupils = 0;
  for (const pupil of roster.pupils.values()) if (pupil.status === 'active') pupils++;
  let contacts = 0;
  for (const contact of roster.contacts.values()) if (contact.status === 'active') contacts++;
  let classes = 0;
  for (const group of roster.groups.values()) if (group.kind === 'registration') classes++;
  return { pupils, contacts, classes };
}
