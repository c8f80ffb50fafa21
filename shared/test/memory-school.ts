import type { Effect } from '../src/intents/effects.ts';
import { decide } from '../src/intents/reducer.ts';
import type { Intent } from '../src/intents/schema.ts';
import type { DecideContext, DecisionReads } from '../src/intents/state.ts';
import type { Verdict } from '../src/intents/verdict.ts';
import type { Audience } from '../src/messages/audience.ts';
import { sumPence } from '../src/money.ts';
import type { Stamp, WalletBook } from '../src/wallet/types.ts';
import { appendEntry } from '../src/wallet/wallet.ts';

/*
 * A school held in memory, for the property tests: the reducer decides against it through the same
 * read interface the server answers from SQLite, and its effects are applied here as the server
 * applies them there. Each intent id keeps its first verdict, as the server's intents table does.
 */

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

export interface SchoolState {
  readonly book: WalletBook;
  readonly messages: Readonly<Record<string, Message>>;
  /** Every intent id decided so far, with its verdict. */
  readonly verdicts: Readonly<Record<string, Verdict>>;
}

export const EMPTY_STATE: SchoolState = { book: { wallets: {}, entries: {} }, messages: {}, verdicts: {} };

export function readsOf(state: SchoolState): DecisionReads {
  return {
    wallet: (walletId) => state.book.wallets[walletId] ?? null,
    balance: (walletId) => sumPence((state.book.entries[walletId] ?? []).map((entry) => entry.amount)),
    message: (messageId) => state.messages[messageId] ?? null,
    recipient: (messageId, contactId) => {
      const message = state.messages[messageId];
      if (!message?.recipientIds.includes(contactId)) return null;
      return { readAt: message.reads[contactId] ?? null };
    },
  };
}

function applyEffect(state: SchoolState, effect: Effect): SchoolState {
  const { book, messages } = state;
  switch (effect.kind) {
    case 'wallet-closed': {
      const wallet = book.wallets[effect.walletId];
      if (!wallet || wallet.status !== 'open') throw new Error(`wallet ${effect.walletId} is not open`);
      const closed = { ...wallet, status: 'closed' as const, closed: effect.stamp };
      return { ...state, book: { ...book, wallets: { ...book.wallets, [wallet.id]: closed } } };
    }
    case 'ledger-entry':
      return { ...state, book: { ...book, entries: appendEntry(book.entries, effect.entry) } };
    case 'wallet-settled': {
      const wallet = book.wallets[effect.walletId];
      if (!wallet || wallet.status !== 'closed') throw new Error(`wallet ${effect.walletId} is not closed`);
      const settled = {
        ...wallet,
        status: 'settled' as const,
        settled: { ...effect.stamp, refundDate: effect.refundDate, refunded: effect.refunded },
      };
      return { ...state, book: { ...book, wallets: { ...book.wallets, [wallet.id]: settled } } };
    }
    case 'message-sent': {
      const { message, recipients } = effect;
      const stored: Message = {
        ...message,
        recipientIds: recipients.map((recipient) => recipient.contactId),
        deleted: null,
        reads: {},
      };
      return { ...state, messages: { ...messages, [message.id]: stored } };
    }
    case 'message-read': {
      const message = messages[effect.messageId];
      if (!message) throw new Error(`no message ${effect.messageId}`);
      const read = { ...message, reads: { ...message.reads, [effect.contactId]: effect.at } };
      return { ...state, messages: { ...messages, [message.id]: read } };
    }
    case 'messages-deleted': {
      const next = { ...messages };
      for (const id of effect.messageIds) {
        const message = next[id];
        if (message) next[id] = { ...message, subject: '', body: '', deleted: effect.stamp };
      }
      return { ...state, messages: next };
    }
  }
}

export function applyEffects(state: SchoolState, effects: readonly Effect[]): SchoolState {
  return effects.reduce(applyEffect, state);
}

/** Decide an intent once: a replay gets the first verdict back and changes nothing. */
export function apply(
  state: SchoolState,
  intent: Intent,
  ctx: DecideContext,
): { readonly state: SchoolState; readonly verdict: Verdict; readonly effects: readonly Effect[] } {
  const known = state.verdicts[intent.id];
  if (known) return { state, verdict: known, effects: [] };
  const { verdict, effects } = decide(intent, ctx, readsOf(state));
  const decided = { ...applyEffects(state, effects), verdicts: { ...state.verdicts, [intent.id]: verdict } };
  return { state: decided, verdict, effects };
}
