import type { Role } from '../auth/roles.ts';
import type { ContactPolicy } from '../messages/recipients.ts';
import type { Pence } from '../money.ts';
import type { RosterView } from '../roster/types.ts';
import type { Stamp, Wallet } from '../wallet/types.ts';

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** The MIS contact a parent account stands for. */
  readonly contactId: string | null;
  /** A parent whose children have all left reads for a while but changes nothing. */
  readonly isReadOnly: boolean;
}

/** What deciding about a message needs to know of it: never its body. */
export interface SentMessage {
  readonly id: string;
  readonly sent: Stamp;
  readonly deleted: Stamp | null;
}

/** One recipient of one message. */
export interface RecipientRow {
  /** First read, server time; null while unread. */
  readonly readAt: string | null;
}

/**
 * The few rows one intent is decided against, read synchronously: the server answers from SQLite
 * inside the intent's transaction, the property tests from memory. No whole-school state is held.
 */
export interface DecisionReads {
  wallet(walletId: string): Wallet | null;
  /** The sum of the wallet's ledger entries. */
  balance(walletId: string): Pence;
  message(messageId: string): SentMessage | null;
  recipient(messageId: string, contactId: string): RecipientRow | null;
}

export interface DecideContext {
  /** Server time: orders everything and dates every stamp. */
  readonly now: Date;
  /** The server sequence number this intent will get if accepted. */
  readonly seq: number;
  readonly roster: RosterView;
  readonly actor: Actor;
  readonly policy?: ContactPolicy;
}
