import type { Intent, IntentOf, IntentType, Verdict } from '@schoolping/shared';
import type { Doc } from 'yjs';
import { entriesOf } from './docs';

/** An intent in this person's outbox and what became of it. */
export interface OutboxEntry<T extends IntentType = IntentType> {
  readonly intent: IntentOf<T>;
  readonly verdict: Verdict | null;
}

/** The person's own intents of one type, with their verdicts (null while waiting). */
export function outboxEntries<T extends IntentType>(outbox: Doc | undefined, type: T): OutboxEntry<T>[] {
  const verdicts = entriesOf<Verdict>(outbox, 'verdicts');
  const entries: OutboxEntry<T>[] = [];
  for (const intent of entriesOf<Intent>(outbox, 'intents').values()) {
    if (intent.type !== type) continue;
    entries.push({ intent: intent as IntentOf<T>, verdict: verdicts.get(intent.id) ?? null });
  }
  return entries;
}

export function isPending<T extends IntentType>(entry: OutboxEntry<T>): boolean {
  return entry.verdict === null;
}
