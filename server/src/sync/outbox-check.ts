import { intentSchema, type Intent } from '@schoolping/shared';
import * as Y from 'yjs';
import { SERVER_CLIENT_ID } from './documents.ts';

export type OutboxCheck =
  | {
      readonly ok: true;
      readonly intents: readonly Intent[];
      /** Only what the store lacks; empty for a repeat. */ readonly update: Uint8Array;
    }
  | { readonly ok: false; readonly problem: string };

/**
 * A device back from weeks offline sends its backlog in one update; the frame limit (1 MiB) keeps
 * it to a few thousand intents at most, decided in one transaction.
 */
const MAX_INTENTS_PER_UPDATE = 5000;

/**
 * The structural check an update to an outbox must pass before it touches storage: only new
 * intents, each a new key of the root map `intents`, written by a client that is not the server,
 * authored by the outbox's owner, schema-valid, with no deletions and nothing else changed. What
 * the store already holds is dropped first, so a repeated or re-ordered frame is harmless.
 */
export function checkOutboxUpdate(update: Uint8Array, stored: Y.Doc, ownerUserId: string): OutboxCheck {
  let fresh: Uint8Array;
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    // Decoding alone is bounded by the input's size; merging is not (clocks past 2^53 make Yjs's
    // merge loop spin forever), so clocks are checked before anything merges.
    if (!clocksInRange(Y.decodeUpdate(update))) return { ok: false, problem: 'a clock out of range' };
    fresh = Y.diffUpdate(update, Y.encodeStateVector(stored));
    decoded = Y.decodeUpdate(fresh);
  } catch {
    return { ok: false, problem: 'bytes that are not a Yjs update' };
  }
  // An update carries every deletion its sender knows of; only ones the server has not made are new.
  if (!deletesNothingNew(decoded.ds, stored)) return { ok: false, problem: 'a deletion' };
  if (decoded.structs.length > MAX_INTENTS_PER_UPDATE)
    return { ok: false, problem: 'too many changes at once' };
  const storedIntents = stored.getMap('intents');
  const known = Y.encodeStateVector(stored);
  const vector = Y.decodeStateVector(known);
  const intents: Intent[] = [];
  const seen = new Set<string>();
  const nextClock = new Map<number, number>();
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) return { ok: false, problem: 'content that is not an intent' };
    const { client, clock } = struct.id;
    if (client === SERVER_CLIENT_ID) return { ok: false, problem: "a change in the server's name" };
    // Each client's changes must follow on from what is stored, with no gap to be filled later.
    const expected = nextClock.get(client) ?? vector.get(client) ?? 0;
    if (clock !== expected) return { ok: false, problem: 'changes out of order' };
    nextClock.set(client, clock + struct.length);
    // Anything placed relative to an existing item changes what is there (its parent is then
    // implied, not written), so this comes first.
    if (struct.origin !== null || struct.rightOrigin !== null) {
      return { ok: false, problem: 'a change to an existing intent' };
    }
    // A decoded struct names its root type by a string, which Yjs's types do not say.
    const parent: unknown = struct.parent;
    if (parent !== 'intents' || typeof struct.parentSub !== 'string') {
      return { ok: false, problem: 'a change outside the intents' };
    }
    const key = struct.parentSub;
    if (storedIntents.has(key) || seen.has(key))
      return { ok: false, problem: 'a change to an existing intent' };
    seen.add(key);
    if (!(struct.content instanceof Y.ContentAny) || struct.content.arr.length !== 1) {
      return { ok: false, problem: 'content that is not an intent' };
    }
    const parsed = intentSchema.safeParse(struct.content.arr[0]);
    if (!parsed.success)
      return {
        ok: false,
        problem: `an intent that is not valid (${parsed.error.issues[0]?.message ?? 'shape'})`,
      };
    if (parsed.data.id !== key) return { ok: false, problem: 'an intent filed under another id' };
    if (parsed.data.author !== ownerUserId)
      return { ok: false, problem: "an intent in another person's name" };
    intents.push(parsed.data);
  }
  return { ok: true, intents, update: fresh };
}

/** Far beyond any real document, and far below where float arithmetic on clocks goes wrong. */
const MAX_CLOCK = 2 ** 40;

function clocksInRange(decoded: ReturnType<typeof Y.decodeUpdate>): boolean {
  const inRange = (end: number): boolean => Number.isSafeInteger(end) && end <= MAX_CLOCK;
  for (const struct of decoded.structs) if (!inRange(struct.id.clock + struct.length)) return false;
  for (const ranges of decoded.ds.clients.values()) {
    for (const range of ranges) if (!inRange(range.clock + range.len)) return false;
  }
  return true;
}

/**
 * True when every deletion in the update is one the stored document already has: the server's own
 * (blanking a deleted message's words), which every device then repeats in each update it sends.
 */
function deletesNothingNew(deletions: ReturnType<typeof Y.decodeUpdate>['ds'], stored: Y.Doc): boolean {
  if (deletions.clients.size === 0) return true;
  const known = Y.createDeleteSetFromStructStore(stored.store);
  return Y.equalDeleteSets(Y.mergeDeleteSets([known, deletions]), known);
}
