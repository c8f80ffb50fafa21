import type { DocKind } from '../auth/policy.ts';
import type { Verdict } from '../intents/verdict.ts';
import type { IsoDate } from '../dates.ts';
import type { Pence } from '../money.ts';
import type { ContactPolicy } from '../messages/recipients.ts';
import type { GroupKind, PersonStatus } from '../roster/types.ts';
import type { WalletStatus } from '../wallet/types.ts';

/*
 * What each document holds, version 1. Every document has a root map `meta` ({ version, kind }),
 * and root maps of plain JSON values keyed by id, so one changed row is one small update. Read
 * models are written by the server alone; an outbox's `intents` only by its owner, and its
 * `verdicts` only by the server.
 */

/**
 * Version 2: the directory carries groups, links and do-not-contact, for recipient previews.
 * Version 3: an inbox's `messages` hold each message as JSON text (see `encodeInboxEntry`).
 * Version 4: payments' `wallets` hold each wallet as JSON text, and a parent's wallet view lists
 * recent entries.
 */
export const DOC_SHAPE_VERSION = 5;

export interface DocMeta {
  readonly version: number;
  readonly kind: DocKind;
}

export interface ChildLabel {
  readonly pupilId: string;
  readonly name: string;
  /** The child's class (registration group) name, when known. */
  readonly className: string | null;
}

/**
 * A message in a parent's inbox. `messages` holds each as JSON text, not as a nested value: a
 * phone opening a 1,000-message inbox offline decodes one string per message several times faster
 * than Yjs decodes the same object field by field. Read times are in `reads` (id → ISO time).
 */
export interface InboxMessage {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly senderName: string;
  readonly sentAt: string;
  /** The children of this parent the message is about. */
  readonly children: readonly ChildLabel[];
}

/** `messages` in Sent; `readCounts` holds message id → how many recipients have read it. */
export interface SentItem {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly audienceLabel: string;
  readonly senderId: string;
  readonly senderName: string;
  readonly sentAt: string;
  readonly recipientCount: number;
}

/**
 * A wallet in the payments document. `wallets` holds each as JSON text: a row is always replaced
 * whole, and 3,000 of them decode several times faster as strings than as nested objects.
 */
export interface PaymentsWallet {
  readonly id: string;
  readonly contactId: string;
  readonly ownerName: string;
  readonly children: readonly (ChildLabel & {
    readonly status: PersonStatus;
    readonly leavingDate: IsoDate | null;
  })[];
  readonly status: WalletStatus;
  readonly balance: Pence;
  readonly closedAt: string | null;
  readonly closedBy: string | null;
  readonly settledAt: string | null;
  readonly settledBy: string | null;
  readonly refundDate: IsoDate | null;
  readonly refunded: Pence | null;
}

/** `wallet` in a parent's wallet view: one key, `view`. */
export interface ParentWalletView {
  readonly status: WalletStatus;
  readonly balance: Pence;
  readonly children: readonly ChildLabel[];
  readonly closedOn: IsoDate | null;
  readonly settledOn: IsoDate | null;
  readonly refundDate: IsoDate | null;
  /** The latest movements, newest first (at most ten). */
  readonly recent: readonly {
    readonly at: string;
    readonly kind: string;
    readonly amount: Pence;
    readonly description: string;
  }[];
}

/** One of a pupil's contacts, as the MIS ranks them. */
export interface DirectoryLink {
  readonly contactId: string;
  readonly relationship: string;
  readonly priority: number;
  readonly parentalResponsibility: boolean;
}

/** `pupils` in the directory. */
export interface DirectoryPupil {
  readonly id: string;
  readonly name: string;
  readonly status: PersonStatus;
  readonly className: string | null;
  readonly yearName: string | null;
  readonly leavingDate: IsoDate | null;
  readonly links: readonly DirectoryLink[];
  /** Surname, then forename: how school lists are ordered. */
  readonly sortKey: string;
  /** The status the server's daily run has applied, or null before it has run for them. */
  readonly applied: PersonStatus | null;
}

/** `contacts` in the directory: names and links only, no addresses or numbers. */
export interface DirectoryContact {
  readonly id: string;
  readonly name: string;
  readonly status: PersonStatus;
  readonly pupilIds: readonly string[];
  readonly joiningPupilIds: readonly string[];
  readonly doNotContact: boolean;
  /** The status the server's daily run has applied, or null before it has run for them. */
  readonly applied: PersonStatus | null;
}

/** `groups` in the directory: year groups, classes and the MIS's other groups, with who is in each today. */
export interface DirectoryGroup {
  readonly id: string;
  readonly name: string;
  readonly kind: GroupKind;
  readonly pupilIds: readonly string[];
}

/**
 * `meta` of the directory also holds `day` (the school day it shows), `policy`, `appliedDay` (the last
 * day the daily run applied, or null) and `schoolName`.
 */
export type DirectoryPolicy = ContactPolicy;

/**
 * `children` in a parent's inbox: the parent's own children on roll, for the Children page.
 */
export interface InboxChild extends ChildLabel {
  readonly yearName: string | null;
}

/** `verdicts` in an outbox. */
export type OutboxVerdict = Verdict;

/** An inbox message as `messages` holds it. */
export function encodeInboxEntry(message: InboxMessage): string {
  return JSON.stringify(message);
}

/** An inbox entry read back; null for anything that is not one (the device trusts no bytes blindly). */
export function decodeInboxEntry(value: unknown): InboxMessage | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value) as Partial<InboxMessage> | null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.subject === 'string'
      ? (parsed as InboxMessage)
      : null;
  } catch {
    return null;
  }
}

/** A payments wallet as `wallets` holds it. */
export function encodeWalletEntry(wallet: PaymentsWallet): string {
  return JSON.stringify(wallet);
}

/** A payments entry read back; null for anything that is not one. */
export function decodeWalletEntry(value: unknown): PaymentsWallet | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value) as Partial<PaymentsWallet> | null;
    return parsed && typeof parsed.id === 'string' && typeof parsed.ownerName === 'string'
      ? (parsed as PaymentsWallet)
      : null;
  } catch {
    return null;
  }
}
