import type { DocStorage } from '../../web/src/lib/sync/device-storage.ts';

/** The PWA's device storage kept in memory, for the sync client run in Node. */
export function memoryDocStorage(): DocStorage & {
  readonly docs: Map<string, Uint8Array[]>;
  readonly dismissedIds: Set<string>;
} {
  const docs = new Map<string, Uint8Array[]>();
  const dismissedIds = new Set<string>();
  return {
    docs,
    dismissedIds,
    load: (doc) => Promise.resolve([...(docs.get(doc) ?? [])]),
    append: (doc, update) => {
      docs.set(doc, [...(docs.get(doc) ?? []), update]);
      return Promise.resolve();
    },
    replace: (doc, state) => {
      docs.set(doc, [state]);
      return Promise.resolve();
    },
    dismissed: () => Promise.resolve([...dismissedIds]),
    setDismissed: (intentIds) => {
      dismissedIds.clear();
      for (const id of intentIds) dismissedIds.add(id);
      return Promise.resolve();
    },
  };
}
