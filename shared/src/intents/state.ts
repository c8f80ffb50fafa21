import type { ContactPolicy } from '../messages/recipients.ts';
import type { Audience } from '../messages/audience.ts';
import type { RosterView } from '../roster/types.ts';
import type { Stamp, WalletBook } from '../wallet/types.ts';

import type { Role } from '../auth/roles.ts';

export interface Actor {
  readonly id: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** The MIS contact a parent account stands for. */
  readonly contactId: string | null;
}

export interface Message {
  readonly id: string;
  /** Emptied when the message is deleted: the body must not outlive it. */
  readonly subject: string;
  readonly body: string;
  readonly audience: Audience;
  readonly recipientIds: readonly string[];
  readonly sent: Stamp;
  readonly deleted: Stamp | null;
  /** First read time by contact id, server time. */
  readonly reads: Readonly<Record<string, string>>;
}

/** The authoritative state the reducer decides against. */
export interface SchoolState {
  readonly book: WalletBook;
  readonly messages: Readonly<Record<string, Message>>;
}

export const EMPTY_STATE: SchoolState = { book: { wallets: {}, entries: {} }, messages: {} };

export interface ApplyContext {
  /** Server time: orders everything and dates every stamp. */
  readonly now: Date;
  /** The server sequence number this intent will get if accepted. */
  readonly seq: number;
  readonly roster: RosterView;
  readonly actor: Actor;
  readonly policy?: ContactPolicy;
}
