import type { IsoDate } from '../dates.ts';
import type { Pence } from '../money.ts';

export const ENTRY_KINDS = ['top-up', 'charge', 'refund', 'adjustment'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** One movement of money. Positive amounts are owed to the parent, negative ones are spent. */
export interface LedgerEntry {
  readonly id: string;
  readonly walletId: string;
  readonly kind: EntryKind;
  readonly amount: Pence;
  /** Server time, ISO 8601. */
  readonly at: string;
  readonly description: string;
  /** Set when money arrived on a wallet that was already closed: kept, and shown to an admin. */
  readonly flag: 'after-close' | null;
}

/** Who did something and when, by the server's clock. */
export interface Stamp {
  readonly intentId: string;
  readonly actorId: string;
  readonly actorName: string;
  readonly at: string;
}

export type WalletStatus = 'open' | 'closed' | 'settled';

export interface Wallet {
  readonly id: string;
  /** The MIS contact who owns the wallet. */
  readonly contactId: string;
  readonly status: WalletStatus;
  readonly closed: Stamp | null;
  readonly settled: (Stamp & { readonly refundDate: IsoDate; readonly refunded: Pence }) | null;
}

export interface WalletBook {
  readonly wallets: Readonly<Record<string, Wallet>>;
  /** Entries by wallet id, in server order. */
  readonly entries: Readonly<Record<string, readonly LedgerEntry[]>>;
}
