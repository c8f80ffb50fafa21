import {
  directoryRecipientRoster,
  resolveRecipients,
  DEFAULT_CONTACT_POLICY,
  type Audience,
  type ContactPolicy,
  type DirectoryContact,
  type DirectoryGroup,
  type DirectoryPupil,
  type UnreachedReason,
} from '@schoolping/shared';
import type { Doc } from 'yjs';
import { entriesOf } from './docs';

export interface Preview {
  readonly parents: readonly {
    readonly id: string;
    readonly name: string;
    readonly children: readonly string[];
  }[];
  readonly unreached: readonly { readonly pupilId: string; readonly name: string; readonly reason: string }[];
}

export const UNREACHED_WORDS: Readonly<Record<UnreachedReason, string>> = {
  'no-contact': 'no contact in the MIS',
  'do-not-contact': 'every contact is marked do not contact',
  'no-parental-responsibility': 'no contact with parental responsibility',
  'beyond-priority': 'no contact within the school’s contact order',
};

export interface Directory {
  readonly pupils: ReadonlyMap<string, DirectoryPupil>;
  readonly contacts: ReadonlyMap<string, DirectoryContact>;
  readonly groups: ReadonlyMap<string, DirectoryGroup>;
  readonly policy: ContactPolicy;
}

export function readDirectory(doc: Doc | undefined): Directory {
  const policy = doc?.getMap('meta').get('policy') as ContactPolicy | undefined;
  return {
    pupils: entriesOf<DirectoryPupil>(doc, 'pupils'),
    contacts: entriesOf<DirectoryContact>(doc, 'contacts'),
    groups: entriesOf<DirectoryGroup>(doc, 'groups'),
    policy: policy ?? DEFAULT_CONTACT_POLICY,
  };
}

/** Who a message would reach, and who would get nothing and why: the server's own rule, on the device. */
export function previewRecipients(directory: Directory, audience: Audience): Preview {
  const roster = directoryRecipientRoster(directory.pupils, directory.contacts, directory.groups);
  const list = resolveRecipients(roster, audience, directory.policy);
  const pupilName = (id: string): string => directory.pupils.get(id)?.name ?? 'a pupil no longer listed';
  return {
    parents: list.recipients
      .map((recipient) => ({
        id: recipient.contactId,
        name: directory.contacts.get(recipient.contactId)?.name ?? `Contact ${recipient.contactId}`,
        children: recipient.pupilIds.map(pupilName),
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    unreached: list.unreached
      .map((each) => ({
        pupilId: each.pupilId,
        name: pupilName(each.pupilId),
        reason: UNREACHED_WORDS[each.reason],
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
