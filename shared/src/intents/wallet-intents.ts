import { formatDate, londonDate } from '../dates.ts';
import { formatPence, negatePence, pence } from '../money.ts';
import type { RosterView } from '../roster/types.ts';
import { overdrawnSentence } from '../wallet/staying.ts';
import type { Stamp, Wallet } from '../wallet/types.ts';
import { canClose, refundEntry, stampDate } from '../wallet/wallet.ts';
import type { Effect } from './effects.ts';
import type { IntentOf } from './schema.ts';
import { stampWords } from './stamp-words.ts';
import type { DecideContext, DecisionReads } from './state.ts';
import { Rejection } from './verdict.ts';

function ownerName(wallet: Wallet, roster: RosterView): string {
  const contact = roster.contacts.get(wallet.contactId);
  return contact ? `${contact.forename} ${contact.surname}` : `contact ${wallet.contactId}`;
}

function findWallet(reads: DecisionReads, walletId: string): Wallet {
  const wallet = reads.wallet(walletId);
  if (!wallet) throw new Rejection('unknown-wallet', `There is no wallet ${walletId}.`, { walletId });
  return wallet;
}

/** Close every ticked wallet, or none: a partial close would leave the list half-done unseen. */
export function decideWalletClose(
  intent: IntentOf<'wallet-close'>,
  ctx: DecideContext,
  reads: DecisionReads,
  stamp: Stamp,
): Effect[] {
  const wallets = [...new Set(intent.payload.walletIds)].map((id) => findWallet(reads, id));
  for (const wallet of wallets) {
    const name = ownerName(wallet, ctx.roster);
    if (wallet.closed) {
      throw new Rejection(
        'already-closed',
        `${name}'s wallet was already closed ${stampWords(wallet.closed)}.`,
        {
          walletId: wallet.id,
          closedBy: wallet.closed.actorName,
          closedAt: wallet.closed.at,
        },
      );
    }
    const check = canClose(wallet, ctx.roster);
    if (!check.ok) throw new Rejection(check.reason, check.sentence, { walletId: wallet.id });
    const balance = reads.balance(wallet.id);
    const overdrawn = overdrawnSentence(name, balance);
    if (overdrawn !== null) throw new Rejection('overdrawn', overdrawn, { walletId: wallet.id, balance });
  }
  return wallets.map((wallet) => ({ kind: 'wallet-closed', walletId: wallet.id, stamp }));
}

/** Settling a closed wallet: one refund entry equal to what the parent is owed, then settled. */
export function decideWalletSettle(
  intent: IntentOf<'wallet-settle'>,
  ctx: DecideContext,
  reads: DecisionReads,
  stamp: Stamp,
): Effect[] {
  const { walletId, refundDate } = intent.payload;
  const wallet = findWallet(reads, walletId);
  const name = ownerName(wallet, ctx.roster);
  if (wallet.settled) {
    throw new Rejection(
      'already-settled',
      `${name}'s wallet was already settled ${stampWords(wallet.settled)}, ${formatPence(wallet.settled.refunded)}.`,
      { walletId, settledBy: wallet.settled.actorName, settledAt: wallet.settled.at },
    );
  }
  if (!wallet.closed) {
    throw new Rejection('not-closed', `${name}'s wallet is still open: close it before marking it settled.`, {
      walletId,
    });
  }
  const today = londonDate(ctx.now);
  if (refundDate > today) {
    throw new Rejection(
      'refund-date-in-future',
      `The refund date ${formatDate(refundDate)} is in the future; enter the date the refund was given.`,
      { walletId, refundDate },
    );
  }
  const closedOn = stampDate(wallet.closed);
  if (refundDate < closedOn) {
    throw new Rejection(
      'refund-date-before-close',
      `The refund date ${formatDate(refundDate)} is before the wallet was closed on ${formatDate(closedOn)}.`,
      { walletId, refundDate, closedOn },
    );
  }
  const owed = reads.balance(walletId);
  if (owed < 0) {
    throw new Rejection(
      'overdrawn',
      `${name}'s wallet is overdrawn by ${formatPence(negatePence(owed))}; record that payment before settling.`,
      { walletId, balance: owed },
    );
  }
  const refund: Effect[] =
    owed === 0 ? [] : [{ kind: 'ledger-entry', entry: refundEntry(walletId, owed, stamp, refundDate) }];
  return [...refund, { kind: 'wallet-settled', walletId, stamp, refundDate, refunded: owed }];
}

/**
 * A top-up or a charge recorded by hand, on an open wallet only: a closed wallet's balance is what
 * the parent is owed, and nothing may change it but its refund.
 */
export function decideWalletEntry(
  intent: IntentOf<'wallet-entry'>,
  reads: DecisionReads,
  stamp: Stamp,
): Effect[] {
  const { walletId, kind, amount, description } = intent.payload;
  const wallet = findWallet(reads, walletId);
  if (wallet.closed) {
    throw new Rejection(
      'already-closed',
      `This wallet was closed ${stampWords(wallet.closed)}: nothing more can be added to it or taken from it.`,
      { walletId, closedBy: wallet.closed.actorName, closedAt: wallet.closed.at },
    );
  }
  const moved = kind === 'top-up' ? pence(amount) : negatePence(pence(amount));
  return [
    {
      kind: 'ledger-entry',
      entry: {
        id: `${stamp.intentId}:entry`,
        walletId,
        kind,
        amount: moved,
        at: stamp.at,
        description,
        flag: null,
      },
    },
  ];
}
