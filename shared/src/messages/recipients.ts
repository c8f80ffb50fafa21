import type { Audience } from './audience.ts';
import type { MisLink, PersonStatus } from '../roster/types.ts';

/**
 * The little of a roster that decides who receives a message. The server's roster view has it,
 * and so does the staff directory document, so a preview on a tablet offline names exactly the
 * people the server will send to.
 */
export interface RecipientRoster {
  readonly pupils: ReadonlyMap<string, { readonly status: PersonStatus }>;
  readonly groups: ReadonlyMap<string, { readonly pupilIds: readonly string[] }>;
  readonly contacts: ReadonlyMap<string, { readonly doNotContact: boolean }>;
  readonly links: readonly MisLink[];
}

/** Why a pupil in the audience has nobody the message can go to. */
export type UnreachedReason =
  'no-contact' | 'do-not-contact' | 'no-parental-responsibility' | 'beyond-priority';

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
  /** The same pupils, each with the reason, in the order of `unreachablePupilIds`. */
  readonly unreached: readonly { readonly pupilId: string; readonly reason: UnreachedReason }[];
}

export function audiencePupilIds(roster: RecipientRoster, audience: Audience): string[] {
  if (audience.kind === 'school') {
    return [...roster.pupils].filter(([, pupil]) => pupil.status === 'active').map(([id]) => id);
  }
  const ids = new Set<string>();
  for (const groupId of audience.groupIds) {
    for (const pupilId of roster.groups.get(groupId)?.pupilIds ?? []) ids.add(pupilId);
  }
  return [...ids];
}

function isAllowed(link: MisLink, roster: RecipientRoster, policy: ContactPolicy): boolean {
  const contact = roster.contacts.get(link.contactId);
  if (!contact || contact.doNotContact) return false;
  if (policy.parentalResponsibility === 'strict' && !link.parentalResponsibility) return false;
  return link.priority <= policy.maxPriority;
}

/** The first rule that stops every one of a pupil's links, in the order a school would check. */
function reasonUnreached(
  links: readonly MisLink[],
  roster: RecipientRoster,
  policy: ContactPolicy,
): UnreachedReason {
  const known = links.filter((link) => roster.contacts.has(link.contactId));
  if (known.length === 0) return 'no-contact';
  const contactable = known.filter((link) => roster.contacts.get(link.contactId)?.doNotContact !== true);
  if (contactable.length === 0) return 'do-not-contact';
  const responsible = contactable.filter(
    (link) => policy.parentalResponsibility === 'any' || link.parentalResponsibility,
  );
  if (responsible.length === 0) return 'no-parental-responsibility';
  return 'beyond-priority';
}

export function resolveRecipients(
  roster: RecipientRoster,
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
  const unreachablePupilIds = [...pupilIds].filter((id) => !reached.has(id));
  return {
    recipients: [...byContact].map(([contactId, children]) => ({ contactId, pupilIds: children })),
    unreachablePupilIds,
    unreached: unreachablePupilIds.map((pupilId) => ({
      pupilId,
      reason: reasonUnreached(
        links.filter((link) => link.pupilId === pupilId),
        roster,
        policy,
      ),
    })),
  };
}
