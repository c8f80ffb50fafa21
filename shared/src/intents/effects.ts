import type { Audience } from '../messages/audience.ts';
import type { Recipient } from '../messages/recipients.ts';
import type { IsoDate } from '../dates.ts';
import type { Pence } from '../money.ts';
import type { LedgerEntry, Stamp } from '../wallet/types.ts';

export interface NewMessage {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly audience: Audience;
  readonly sent: Stamp;
}

/**
 * What an accepted intent changes, in one list: the server turns each effect into SQLite writes
 * and read-model updates, the property tests into changes to a school held in memory.
 */
export type Effect =
  | { readonly kind: 'wallet-closed'; readonly walletId: string; readonly stamp: Stamp }
  | {
      readonly kind: 'wallet-settled';
      readonly walletId: string;
      readonly stamp: Stamp;
      readonly refundDate: IsoDate;
      /** What the parent was owed and was refunded. */
      readonly refunded: Pence;
    }
  | { readonly kind: 'ledger-entry'; readonly entry: LedgerEntry }
  | {
      readonly kind: 'message-sent';
      readonly message: NewMessage;
      readonly recipients: readonly Recipient[];
    }
  | {
      readonly kind: 'message-read';
      readonly messageId: string;
      readonly contactId: string;
      readonly at: string;
    }
  | { readonly kind: 'messages-deleted'; readonly messageIds: readonly string[]; readonly stamp: Stamp };

export type EffectKind = Effect['kind'];
