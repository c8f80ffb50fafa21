import type { Role } from '../auth/roles.ts';
import type { Stamp } from '../wallet/types.ts';
import type { Effect } from './effects.ts';
import { decideMessageDelete, decideMessageRead, decideMessageSend } from './message-intents.ts';
import type { Intent, IntentType } from './schema.ts';
import type { DecideContext, DecisionReads } from './state.ts';
import { Rejection, type Verdict } from './verdict.ts';
import { decideWalletClose, decideWalletSettle, decideWalletEntry } from './wallet-intents.ts';

/** Which roles may ask for what. Parents can never delete messages; only payments admins touch wallets. */
export const INTENT_ROLES: Readonly<Record<IntentType, readonly Role[]>> = {
  'wallet-close': ['payments-admin'],
  'wallet-settle': ['payments-admin'],
  'wallet-entry': ['payments-admin'],
  'message-send': ['staff', 'school-admin'],
  'message-delete': ['staff', 'school-admin'],
  'message-read': ['parent'],
};

const NOT_PERMITTED: Readonly<Record<IntentType, string>> = {
  'wallet-close': 'Only a payments admin can close wallets.',
  'wallet-settle': 'Only a payments admin can mark wallets as settled.',
  'wallet-entry': 'Only a payments admin can record money in or out of a wallet.',
  'message-send': 'Only school staff can send messages.',
  'message-delete': 'Only school staff can delete messages; parents cannot delete them.',
  'message-read': 'Only a parent marks their own messages as read.',
};

export const INTERNAL_ERROR_SENTENCE =
  'The server could not process this change and has recorded the problem. Try again, or ask the school office.';

/** The server's answer to one intent, and what accepting it changes (nothing when rejected). */
export interface Decision {
  readonly verdict: Verdict;
  readonly effects: readonly Effect[];
  /** Set when deciding failed unexpectedly: for the server's log, never for the person. */
  readonly error?: unknown;
}

function effectsOf(intent: Intent, ctx: DecideContext, reads: DecisionReads, stamp: Stamp): Effect[] {
  switch (intent.type) {
    case 'wallet-close':
      return decideWalletClose(intent, ctx, reads, stamp);
    case 'wallet-settle':
      return decideWalletSettle(intent, ctx, reads, stamp);
    case 'wallet-entry':
      return decideWalletEntry(intent, reads, stamp);
    case 'message-send':
      return decideMessageSend(intent, ctx, reads, stamp);
    case 'message-delete':
      return decideMessageDelete(intent, ctx, reads, stamp);
    case 'message-read':
      return decideMessageRead(intent, ctx, reads, stamp);
  }
}

/**
 * Decide one intent against the rows `reads` gives. Deterministic: the same rows, intent and
 * context give the same decision. It does not know whether the intent was seen before: the caller
 * keeps each intent id's verdict once and answers a replay with it (see docs/architecture.md).
 * An unexpected error becomes an `internal-error` verdict, so one bad intent never blocks an outbox.
 */
export function decide(intent: Intent, ctx: DecideContext, reads: DecisionReads): Decision {
  const at = ctx.now.toISOString();
  try {
    const isOwnIntent = intent.author === ctx.actor.id;
    if (!isOwnIntent || !INTENT_ROLES[intent.type].some((role) => ctx.actor.roles.includes(role))) {
      throw new Rejection('not-permitted', NOT_PERMITTED[intent.type], { actor: ctx.actor.id });
    }
    if (ctx.actor.isReadOnly) {
      throw new Rejection(
        'read-only',
        'This account can still read messages but can no longer change anything, so this was not done.',
        { actor: ctx.actor.id },
      );
    }
    const stamp: Stamp = { intentId: intent.id, actorId: ctx.actor.id, actorName: ctx.actor.name, at };
    const effects = effectsOf(intent, ctx, reads, stamp);
    return { verdict: { intentId: intent.id, status: 'accepted', seq: ctx.seq, at }, effects };
  } catch (error) {
    if (error instanceof Rejection) {
      const { reason, sentence, facts } = error;
      return {
        verdict: { intentId: intent.id, status: 'rejected', reason, sentence, facts, at },
        effects: [],
      };
    }
    return { verdict: internalErrorVerdict(intent.id, at), effects: [], error };
  }
}

/** What a person is told when the server failed on their change: it is logged, never silent. */
export function internalErrorVerdict(intentId: string, at: string): Verdict {
  return {
    intentId,
    status: 'rejected',
    reason: 'internal-error',
    sentence: INTERNAL_ERROR_SENTENCE,
    facts: {},
    at,
  };
}
