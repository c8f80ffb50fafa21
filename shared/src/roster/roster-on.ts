import { effectiveDay, type IsoDate } from '../dates.ts';
import type {
  ContactView,
  GroupView,
  MisData,
  MisMembership,
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
 * - a contact is a leaver only when every visible linked child is.
 */

export function isLeaverOn(leavingDate: IsoDate | null, day: IsoDate): boolean {
  return leavingDate !== null && leavingDate <= day;
}

export function hasStartedOn(entryDate: IsoDate, day: IsoDate): boolean {
  return entryDate < day;
}

export function isMembershipVisibleOn(membership: MisMembership, day: IsoDate): boolean {
  if (!(membership.startDate < day)) return false;
  // The day after the end date is when the move shows; until then the old group holds.
  return membership.endDate === null || membership.endDate >= dayBefore(day);
}

function dayBefore(day: IsoDate): IsoDate {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10) as IsoDate;
}

/** `when` is an instant, or a school day meaning "after that day's 02:00 run". */
export function rosterOn(mis: MisData, when: Date | IsoDate): RosterView {
  const day = typeof when === 'string' ? when : effectiveDay(when);
  const groupKinds = new Map(mis.groups.map((group) => [group.id, group.kind]));

  const pupils = new Map<string, PupilView>();
  for (const pupil of mis.pupils) {
    if (!hasStartedOn(pupil.entryDate, day)) continue;
    const status: PersonStatus = isLeaverOn(pupil.leavingDate, day) ? 'leaver' : 'active';
    pupils.set(pupil.id, { ...pupil, status, yearGroupId: null, registrationGroupId: null });
  }

  const groupMembers = new Map<string, string[]>(mis.groups.map((group) => [group.id, []]));
  for (const membership of mis.memberships) {
    const pupil = pupils.get(membership.pupilId);
    const members = groupMembers.get(membership.groupId);
    if (!pupil || !members || !isMembershipVisibleOn(membership, day)) continue;
    const kind = groupKinds.get(membership.groupId);
    if (kind === 'year') pupils.set(pupil.id, { ...pupil, yearGroupId: membership.groupId });
    if (kind === 'registration') pupils.set(pupil.id, { ...pupil, registrationGroupId: membership.groupId });
    if (pupil.status === 'active' && !members.includes(pupil.id)) members.push(pupil.id);
  }

  const groups = new Map<string, GroupView>();
  for (const group of mis.groups)
    groups.set(group.id, { ...group, pupilIds: groupMembers.get(group.id) ?? [] });

  const childrenOf = new Map<string, string[]>();
  const links = mis.links.filter((link) => pupils.has(link.pupilId));
  for (const link of links) {
    const children = childrenOf.get(link.contactId) ?? [];
    if (!children.includes(link.pupilId)) children.push(link.pupilId);
    childrenOf.set(link.contactId, children);
  }

  const contacts = new Map<string, ContactView>();
  for (const contact of mis.contacts) {
    const pupilIds = childrenOf.get(contact.id);
    if (!pupilIds) continue;
    const everyChildLeft = pupilIds.every((id) => pupils.get(id)?.status === 'leaver');
    contacts.set(contact.id, { ...contact, status: everyChildLeft ? 'leaver' : 'active', pupilIds });
  }

  const staff = new Map<string, StaffView>();
  for (const member of mis.staff) {
    staff.set(member.id, { ...member, status: isLeaverOn(member.leavingDate, day) ? 'leaver' : 'active' });
  }

  return { school: mis.school, day, pupils, contacts, links, groups, staff };
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
