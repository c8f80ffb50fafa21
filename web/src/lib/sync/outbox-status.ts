import type { Intent, Verdict } from '@schoolping/shared';
import type { SyncStatus } from './sync-status';

/**
 * What a person's outbox says about their changes: how many still wait for the server's verdict
 * (and since when), and which were rejected and not yet dismissed.
 */
export function outboxStatus(
  intents: Iterable<readonly [string, Intent]>,
  verdicts: ReadonlyMap<string, Verdict>,
  dismissed: ReadonlySet<string>,
): Pick<SyncStatus, 'pending' | 'oldestPendingAt' | 'rejected'> {
  let pending = 0;
  let oldest: string | null = null;
  const rejected: SyncStatus['rejected'][number][] = [];
  for (const [id, intent] of intents) {
    const verdict = verdicts.get(id);
    if (!verdict) {
      pending++;
      if (oldest === null || intent.createdAt < oldest) oldest = intent.createdAt;
    } else if (verdict.status === 'rejected' && !dismissed.has(id)) {
      rejected.push({ intentId: id, type: intent.type, sentence: verdict.sentence });
    }
  }
  return { pending, oldestPendingAt: oldest, rejected };
}
