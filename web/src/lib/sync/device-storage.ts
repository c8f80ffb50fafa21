import * as Y from 'yjs';

/** Where documents are kept on the device (IndexedDB in the PWA, memory in tests). */
export interface DocStorage {
  load(doc: string): Promise<Uint8Array[]>;
  append(doc: string, update: Uint8Array): Promise<void>;
  /** Replaces a document's stored updates with one: compaction. */
  replace(doc: string, state: Uint8Array): Promise<void>;
  /** Rejected changes the person has read and put away, by intent id. */
  dismissed(): Promise<string[]>;
  setDismissed(intentIds: readonly string[]): Promise<void>;
}

/** Stored updates per document before they are compacted into one. */
const COMPACT_AFTER = 100;

/** What the person is told when the device will not keep their changes: never swallowed. */
export function storageProblemWords(error: unknown): string {
  const isFull = error instanceof Error && /quota/i.test(`${error.name} ${error.message}`);
  return isFull
    ? 'This device is out of storage space. Your changes are kept while this page is open; free some space so they are kept when it closes.'
    : 'This device could not save your changes. They are kept while this page is open.';
}

/**
 * Keeps one document's updates on the device: appended as they come, re-encoded into one when
 * they pile up, and at once after a deletion so deleted words do not linger in storage.
 */
export class StoredDoc {
  readonly #storage: DocStorage;
  readonly #name: string;
  #stored = 0;

  constructor(storage: DocStorage, name: string) {
    this.#storage = storage;
    this.#name = name;
  }

  async load(): Promise<Uint8Array[]> {
    const updates = await this.#storage.load(this.#name);
    this.#stored = updates.length;
    return updates;
  }

  async persist(doc: Y.Doc, update: Uint8Array): Promise<void> {
    const deletes = Y.decodeUpdate(update).ds.clients.size > 0;
    if (deletes || this.#stored + 1 >= COMPACT_AFTER) {
      await this.#storage.replace(this.#name, Y.encodeStateAsUpdate(doc));
      this.#stored = 1;
    } else {
      await this.#storage.append(this.#name, update);
      this.#stored++;
    }
  }
}
