import { londonDate, type IsoDate } from '../dates.ts';
import { negatePence, sumPence, type Pence } from '../money.ts';
import type { RosterView } from '../roster/types.ts';
import type { LedgerEntry, Stamp, Wallet, WalletBook } from './types.ts';
import { stayingSentence, type StayingChild } from './staying.ts';

export function openWallet(id: string, contactId: string): Wallet {
  return { id, contactId, status: 'open', closed: null, settled: null };
}

export function walletBalance(book: WalletBook, walletId: string): Pence {
  return sumPence((book.entries[walletId] ?? []).map((entry) => entry.amount));
}

export type CloseCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'child-staying' | 'unknown-contact'; readonly sentence: string };

/** A wallet may close only when every child linked to its owner is a leaver. */
export function canClose(wallet: Wallet, roster: RosterView): CloseCheck {
  const contact = roster.contacts.get(wallet.contactId);
  if (!contact) {
    return {
      ok: false,
      reason: 'unknown-contact',
      sentence: 'The wallet owner is not linked to any pupil in the MIS, so no leaver can be confirmed.',
    };
  }
  const onRoll = contact.pupilIds
    .map((id) => roster.pupils.get(id))
    .filter((pupil): pupil is NonNullable<typeof pupil> => pupil?.status === 'active');
  const joining = contact.joiningPupilIds
    .map((id) => roster.joining.get(id))
    .filter((pupil): pupil is NonNullable<typeof pupil> => pupil !== undefined);
  if (onRoll.length + joining.length === 0) return { ok: true };
  const staying: StayingChild[] = [
    ...onRoll.map((pupil) => ({
      name: `${pupil.forename} ${pupil.surname}`,
      className:
        pupil.registrationGroupId === null
          ? null
          : (roster.groups.get(pupil.registrationGroupId)?.name ?? null),
    })),
    ...joining.map((pupil) => ({ name: `${pupil.forename} ${pupil.surname}`, className: null })),
  ];
  return {
    ok: false,
    reason: 'child-staying',
    sentence: stayingSentence(`${contact.forename} ${contact.surname}`, staying),
  };
}

export function closeWallet(book: WalletBook, walletId: string, stamp: Stamp): WalletBook {
  const wallet = book.wallets[walletId];
  if (!wallet || wallet.status !== 'open') throw new Error(`Wallet ${walletId} is not open`);
  return {
    ...book,
    wallets: { ...book.wallets, [walletId]: { ...wallet, status: 'closed', closed: stamp } },
  };
}

/** The refund that settles a closed wallet: one entry equal to what the parent is owed. */
export function settleWallet(
  book: WalletBook,
  walletId: string,
  stamp: Stamp,
  refundDate: IsoDate,
): WalletBook {
  const wallet = book.wallets[walletId];
  if (!wallet || wallet.status !== 'closed') throw new Error(`Wallet ${walletId} is not closed`);
  const owed = walletBalance(book, walletId);
  if (owed < 0) throw new Error(`Wallet ${walletId} is overdrawn`);
  const entries =
    owed === 0 ? book.entries : appendEntry(book.entries, refundEntry(walletId, owed, stamp, refundDate));
  const settled = { ...stamp, refundDate, refunded: owed };
  return { wallets: { ...book.wallets, [walletId]: { ...wallet, status: 'settled', settled } }, entries };
}

/** The one entry that pays a parent what they are owed; its id comes from the settling intent. */
export function refundEntry(walletId: string, owed: Pence, stamp: Stamp, refundDate: IsoDate): LedgerEntry {
  return {
    id: `${stamp.intentId}:refund`,
    walletId,
    kind: 'refund',
    amount: negatePence(owed),
    at: stamp.at,
    description: `Refund given ${refundDate}`,
    flag: null,
  };
}

export function appendEntry(entries: WalletBook['entries'], entry: LedgerEntry): WalletBook['entries'] {
  return { ...entries, [entry.walletId]: [...(entries[entry.walletId] ?? []), entry] };
}

export type RecordResult =
  | { readonly ok: true; readonly book: WalletBook; readonly flagged: boolean }
  | { readonly ok: false; readonly reason: 'unknown-wallet' | 'duplicate-entry'; readonly sentence: string };

/**
 * Money from outside the reducer (a top-up from the payment provider, a dinner charge). It is
 * always kept: on a wallet that is no longer open it is flagged for the payments admin instead.
 */
export function recordEntry(book: WalletBook, entry: Omit<LedgerEntry, 'flag'>): RecordResult {
  const wallet = book.wallets[entry.walletId];
  if (!wallet)
    return { ok: false, reason: 'unknown-wallet', sentence: `There is no wallet ${entry.walletId}.` };
  // Entry ids are unique across the whole ledger, not only within one wallet.
  if (Object.values(book.entries).some((entries) => entries.some((existing) => existing.id === entry.id))) {
    return { ok: false, reason: 'duplicate-entry', sentence: `Entry ${entry.id} is already recorded.` };
  }
  const flagged = wallet.status !== 'open';
  const stored: LedgerEntry = { ...entry, flag: flagged ? 'after-close' : null };
  return { ok: true, book: { ...book, entries: appendEntry(book.entries, stored) }, flagged };
}

/** The London date an ISO instant falls on, for showing "closed" and "settled" dates. */
export function stampDate(stamp: Stamp): IsoDate {
  return londonDate(new Date(stamp.at));
}
