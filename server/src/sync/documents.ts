import * as Y from 'yjs';
import type { DocStore } from '../db/sync-store/store.ts';
import { newEntryUpdate } from './new-entry.ts';

/** The client id the server writes with in every document; a client sending it is refused. */
export const SERVER_CLIENT_ID = 1;

/** Merged states kept in memory; the busiest documents (a school's Sent, payments) stay. */
const MERGED_KEPT = 256;

/** A stored document this many updates long is compacted into one on its next write. */
const COMPACT_AFTER = 50;

export type Written = ReadonlyMap<string, Uint8Array>;

/**
 * Documents as the hub and the projections see them. Sync is answered from the stored, encoded
 * state (merged updates, a state vector, a diff) without building a Y.Doc; the server's own
 * writes load a Y.Doc for the length of one unit of work and drop it after, so memory holds only
 * what is being written, however many documents exist.
 */
export class Documents {
  readonly #store: DocStore;
  /** Merged states recently asked for, dropped on any write to their document. */
  readonly #merged = new Map<string, Uint8Array>();
  /** State vectors of those states, kept as long as the state itself is. */
  readonly #vectors = new WeakMap<Uint8Array, Uint8Array>();

  constructor(store: DocStore) {
    const merged = this.#merged;
    this.#store = {
      updates: (doc) => store.updates(doc),
      count: (doc) => store.count(doc),
      builtFor: (doc) => store.builtFor(doc),
      setBuiltFor: (doc, rosterKey) => {
        store.setBuiltFor(doc, rosterKey);
      },
      serverClock: (doc) => store.serverClock(doc),
      setServerClock: (doc, clock) => {
        store.setServerClock(doc, clock);
      },
      append: (doc, update) => {
        merged.delete(doc);
        store.append(doc, update);
      },
      replace: (doc, update) => {
        merged.delete(doc);
        store.replace(doc, update);
      },
      transaction: (work) => {
        try {
          return store.transaction(work);
        } catch (error) {
          // A state read inside the failed transaction may hold what was rolled back.
          merged.clear();
          throw error;
        }
      },
    };
  }

  get store(): DocStore {
    return this.#store;
  }

  /** Every stored update merged into one; an empty document's is the empty update. */
  state(doc: string): Uint8Array {
    const cached = this.#merged.get(doc);
    if (cached) return cached;
    const updates = this.#store.updates(doc);
    // A compacted document is one stored row: reading it again costs less than keeping it.
    if (updates.length === 1 && updates[0]) return updates[0];
    const state = updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.mergeUpdates(updates);
    if (this.#merged.size >= MERGED_KEPT) {
      const oldest = this.#merged.keys().next().value;
      if (oldest !== undefined) this.#merged.delete(oldest);
    }
    this.#merged.set(doc, state);
    return state;
  }

  exists(doc: string): boolean {
    return this.#store.count(doc) > 0;
  }

  stateVector(doc: string): Uint8Array {
    const state = this.state(doc);
    const cached = this.#vectors.get(state);
    if (cached) return cached;
    const vector = Y.encodeStateVectorFromUpdate(state);
    this.#vectors.set(state, vector);
    return vector;
  }

  /** What a client holding `stateVector` is missing. */
  diff(doc: string, stateVector: Uint8Array): Uint8Array {
    // A client with nothing (a first sync) is missing everything: the stored state as it is.
    if (stateVector.length === 1 && stateVector[0] === 0) return this.state(doc);
    return Y.diffUpdate(this.state(doc), stateVector);
  }

  /** Re-encodes a document through a Y.Doc, which drops deleted content for good. */
  compact(doc: string): void {
    const ydoc = this.load(doc);
    this.#store.replace(doc, Y.encodeStateAsUpdate(ydoc));
    ydoc.destroy();
  }

  /** The stored document, with `pending` (updates not yet stored) applied after what is. */
  load(doc: string, pending: readonly Uint8Array[] = []): Y.Doc {
    const ydoc = new Y.Doc({ gc: true });
    for (const update of this.#store.updates(doc)) Y.applyUpdate(ydoc, update);
    // Before the id is set: a remote update that moves a doc's own client on makes Yjs pick a new id.
    for (const update of pending) Y.applyUpdate(ydoc, update);
    // Only now: Yjs takes stored changes in its own name for another client's and picks a new id.
    ydoc.clientID = SERVER_CLIENT_ID;
    return ydoc;
  }

  /** Starts a unit of work: the server's writes to any number of documents, stored together. */
  begin(): WriteSession {
    return new WriteSession(this, this.#store);
  }
}

/**
 * The server's writes in one unit of work. Each document is loaded once, changed any number of
 * times, and its update appended when the session is stored; the caller broadcasts `written` only
 * after the surrounding transaction commits.
 */
export class WriteSession {
  readonly #documents: Documents;
  readonly #store: DocStore;
  readonly #open = new Map<string, { ydoc: Y.Doc; updates: Uint8Array[] }>();
  readonly #compact = new Set<string>();
  /** New entries written without loading their document: its next clock and the updates. */
  readonly #added = new Map<string, { clock: number; updates: Uint8Array[] }>();

  constructor(documents: Documents, store: DocStore) {
    this.#documents = documents;
    this.#store = store;
  }

  change(doc: string, edit: (ydoc: Y.Doc) => void): void {
    let open = this.#open.get(doc);
    if (!open) {
      // Entries already added to it in this unit of work come first, and are stored with the rest.
      const added = this.#added.get(doc)?.updates ?? [];
      this.#added.delete(doc);
      const ydoc = this.#documents.load(doc, added);
      const updates: Uint8Array[] = added.length > 0 ? [Y.mergeUpdates(added)] : [];
      ydoc.on('update', (update: Uint8Array) => updates.push(update));
      open = { ydoc, updates };
      this.#open.set(doc, open);
    }
    const { ydoc } = open;
    ydoc.transact(() => {
      edit(ydoc);
    });
  }

  /**
   * Sets a key the document's root map does not have (a new message in an inbox), if the document
   * has been built. When the server's
   * clock in it is known the update is written directly, without loading the document; otherwise,
   * or when the document is due for compaction, it is changed as usual.
   */
  addEntryIfBuilt(doc: string, map: string, key: string, value: unknown): void {
    const added = this.#added.get(doc);
    const stored = this.#store.count(doc);
    // A document nobody has opened is built whole, from the tables, when someone first does.
    if (stored === 0 && !added && !this.#open.has(doc)) return;
    const clock = added?.clock ?? this.#store.serverClock(doc);
    const due = stored + (added?.updates.length ?? 0) + 1 >= COMPACT_AFTER;
    if (this.#open.has(doc) || clock === null || due) {
      this.change(doc, (ydoc) => {
        ydoc.getMap(map).set(key, value);
      });
      return;
    }
    const update = newEntryUpdate(SERVER_CLIENT_ID, clock, map, key, value);
    this.#added.set(doc, { clock: clock + 1, updates: [...(added?.updates ?? []), update] });
  }

  /** Marks a document to be re-encoded when stored: after a delete, so deleted words go for good. */
  compactAfter(doc: string): void {
    this.#compact.add(doc);
  }

  /** Appends each changed document's update (compacting where asked or due); returns them. */
  store(): Written {
    const written = new Map<string, Uint8Array>();
    for (const [doc, { clock, updates }] of this.#added) {
      const update = updates.length === 1 && updates[0] ? updates[0] : Y.mergeUpdates(updates);
      this.#store.append(doc, update);
      this.#store.setServerClock(doc, clock);
      written.set(doc, update);
    }
    this.#added.clear();
    for (const [doc, { ydoc, updates }] of this.#open) {
      if (updates.length > 0) {
        const update = Y.mergeUpdates(updates);
        written.set(doc, update);
        if (this.#compact.has(doc) || this.#store.count(doc) + 1 >= COMPACT_AFTER) {
          this.#store.replace(doc, Y.encodeStateAsUpdate(ydoc));
        } else {
          this.#store.append(doc, update);
        }
      } else if (this.#compact.has(doc)) {
        this.#store.replace(doc, Y.encodeStateAsUpdate(ydoc));
      }
      if (updates.length > 0 || this.#compact.has(doc))
        this.#store.setServerClock(doc, Y.getState(ydoc.store, SERVER_CLIENT_ID));
      ydoc.destroy();
    }
    this.#open.clear();
    return written;
  }
}
