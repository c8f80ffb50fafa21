import type { Stamp } from '../wallet/types.ts';
import { applyMessageDelete, applyMessageRead, applyMessageSend } from './message-intents.ts';
import type { Intent, IntentType } from './schema.ts';
import type { Role } from '../auth/roles.ts';
import type { ApplyContext, SchoolState } from './state.ts';
import { Rejection, type Verdict } from './verdict.ts';
import { applyWalletClose, applyWalletSettle } from './wallet-intents.ts';

/** Which roles may ask for what. Parents can never delete messages; only payments admins touch wallets. */
export const INTENT_ROLES: Readonly<Record<IntentType, readonly Role[]>> = {
  'wallet-close': ['payments-admin'],
  'wallet-settle': ['payments-admin'],
  'message-send': ['staff', 'school-admin'],
  'message-delete': ['staff', 'school-admin'],
  'message-read': ['parent'],
};

const NOT_PERMITTED: Readonly<Record<IntentType, string>> = {
  'wallet-close': 'Only a payments admin can close wallets.',
  'wallet-settle': 'Only a payments admin can mark wallets as settled.',
  'message-send': 'Only school staff can send messages.',
  'message-delete': 'Only school staff can delete messages; parents cannot delete them.',
  'message-read': 'Only a parent marks their own messages as read.',
};

function decide(state: SchoolState, intent: Intent, ctx: ApplyContext, stamp: Stamp): SchoolState {
  switch (intent.type) {
    case 'wallet-close':
      return applyWalletClose(state, intent, ctx, stamp);
    case 'wallet-settle':
      return applyWalletSettle(state, intent, ctx, stamp);
    case 'message-send':
      return applyMessageSend(state, intent, ctx, stamp);
    case 'message-delete':
      return applyMessageDelete(state, intent, ctx, stamp);
    case 'message-read':
      return applyMessageRead(state, intent, ctx, stamp);
  }
}

/**
 * Decide one intent against the authoritative state. Deterministic: the same state, intent and
 * context give the same result. Applying an accepted intent again changes nothing.
 */
export function apply(
  state: SchoolState,
  intent: Intent,
  ctx: ApplyContext,
): { readonly state: SchoolState; readonly verdict: Verdict } {
  const at = ctx.now.toISOString();
  try {
    const isOwnIntent = intent.author === ctx.actor.id;
    if (!isOwnIntent || !INTENT_ROLES[intent.type].some((role) => ctx.actor.roles.includes(role))) {
      throw new Rejection('not-permitted', NOT_PERMITTED[intent.type], { actor: ctx.actor.id });
    }
    const stamp: Stamp = { intentId: intent.id, actorId: ctx.actor.id, actorName: ctx.actor.name, at };
    const next = decide(state, intent, ctx, stamp);
    return { state: next, verdict: { intentId: intent.id, status: 'accepted', seq: ctx.seq, at } };
  } catch (error) {
    if (!(error instanceof Rejection)) throw error;
    const { reason, sentence, facts } = error;
    return { state, verdict: { intentId: intent.id, status: 'rejected', reason, sentence, facts, at } };
  }
}
