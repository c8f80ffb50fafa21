import type { Audience } from './audience.ts';
import type { MisLink, RosterView } from '../roster/types.ts';

/**
 * Who receives a message. Parental responsibility is strict by default: contacts without it
 * (a grandparent collecting on Fridays) are not sent school messages unless the school chooses.
 */
export interface ContactPolicy {
  readonly parentalResponsibility: 'strict' | 'any';
  /** Only contacts whose priority is at most this; priority 1 is the first contact. */
  readonly maxPriority: number;
}

export const DEFAULT_CONTACT_POLICY: ContactPolicy = { parentalResponsibility: 'strict', maxPriority: 99 };

export interface Recipient {
  readonly contactId: string;
  /** The audience's children this person is told about; one copy whatever their number. */
  readonly pupilIds: readonly string[];
}

export interface RecipientList {
  readonly recipients: readonly Recipient[];
  /** Pupils in the audience with no contact the policy allows: the school should know. */
  readonly unreachablePupilIds: readonly string[];
}

export function audiencePupilIds(roster: RosterView, audience: Audience): string[] {
  if (audience.kind === 'school') {
    return [...roster.pupils.values()].filter((pupil) => pupil.status === 'active').map((pupil) => pupil.id);
  }
  const ids = new Set<string>();
  for (const groupId of audience.groupIds) {
    for (const pupilId of roster.groups.get(groupId)?.pupilIds ?? []) ids.add(pupilId);
  }
  return [...ids];
}

function isAllowed(link: MisLink, roster: RosterView, policy: ContactPolicy): boolean {
  const contact = roster.contacts.get(link.contactId);
  if (!contact || contact.doNotContact) return false;
  if (policy.parentalResponsibility === 'strict' && !link.parentalResponsibility) return false;
  return link.priority <= policy.maxPriority;
}

export function resolveRecipients(
  roster: RosterView,
  audience: Audience,
  policy: ContactPolicy = DEFAULT_CONTACT_POLICY,
): RecipientList {
  const pupilIds = new Set(audiencePupilIds(roster, audience));
  const byContact = new Map<string, string[]>();
  const reached = new Set<string>();
  const links = roster.links
    .filter((link) => pupilIds.has(link.pupilId))
    .toSorted((a, b) => a.priority - b.priority);
  for (const link of links) {
    if (!isAllowed(link, roster, policy)) continue;
    reached.add(link.pupilId);
    const children = byContact.get(link.contactId) ?? [];
    if (!children.includes(link.pupilId)) children.push(link.pupilId);
    byContact.set(link.contactId, children);
  }
  return {
    recipients: [...byContact].map(([contactId, children]) => ({ contactId, pupilIds: children })),
    unreachablePupilIds: [...pupilIds].filter((id) => !reached.has(id)),
  };
}
