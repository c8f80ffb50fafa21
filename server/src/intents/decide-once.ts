import {
  decide,
  internalErrorVerdict,
  type Actor,
  type ContactPolicy,
  type Effect,
  type Intent,
  type Verdict,
} from '@schoolping/shared';
import type { SchoolRow } from '../db/school-store.ts';
import type { SyncStore } from '../db/sync-store/store.ts';
import type { RosterCache } from './roster-cache.ts';

export interface IntentSource {
  readonly userId: number;
  readonly actor: Actor;
}

export interface Decided {
  readonly verdict: Verdict;
  /** Empty for a replay and for a rejection. */
  readonly effects: readonly Effect[];
  /** True when this intent id was decided before: its stored verdict is returned unchanged. */
  readonly isReplay: boolean;
}

export interface DecideOnceOptions {
  readonly now: Date;
  readonly rosters: RosterCache;
  readonly policy?: ContactPolicy;
  /** Where an unexpected failure is reported; the person only sees an internal-error verdict. */
  readonly log: (line: string) => void;
}

/**
 * Decides one intent at most once, inside the caller's transaction: a known id gets its stored
 * verdict back, a new one is decided by the shared reducer against SQLite, its effects written and
 * its verdict kept with the next sequence number.
 */
export function decideOnce(
  store: SyncStore,
  school: SchoolRow,
  source: IntentSource,
  intent: Intent,
  options: DecideOnceOptions,
): Decided {
  const stored = store.intent(school.id, intent.id);
  if (stored) {
    if (stored.userId === source.userId) return { verdict: stored.verdict, effects: [], isReplay: true };
    // Someone else's intent id: never hand over another person's verdict.
    return {
      verdict: {
        intentId: intent.id,
        status: 'rejected',
        reason: 'not-permitted',
        sentence: 'This change carries an id that is already in use; make it again.',
        facts: {},
        at: options.now.toISOString(),
      },
      effects: [],
      isReplay: false,
    };
  }
  const seq = store.nextIntentSeq(school.id);
  const roster = options.rosters.viewFor(store, school, options.now);
  const context = {
    now: options.now,
    seq,
    roster,
    actor: source.actor,
    ...(options.policy ? { policy: options.policy } : {}),
  };
  const decision = decide(intent, context, store.decisionReads(school.id));
  let { verdict, effects } = decision;
  if (decision.error !== undefined) options.log(failure(intent, decision.error));
  try {
    // A savepoint: effects a trigger refuses are undone alone, and the intent still gets a verdict.
    store.transaction(() => {
      store.writeEffects(school.id, effects);
    });
  } catch (error) {
    options.log(failure(intent, error));
    verdict = internalErrorVerdict(intent.id, options.now.toISOString());
    effects = [];
  }
  store.recordIntent(school.id, {
    id: intent.id,
    seq,
    userId: source.userId,
    type: intent.type,
    verdict,
    decidedAt: options.now.toISOString(),
  });
  return { verdict, effects, isReplay: false };
}

function failure(intent: Intent, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `intent ${intent.id} (${intent.type}) failed unexpectedly: ${detail}`;
}
