import { localDb } from '$lib/local-db';
import type { DocStorage } from './device-storage';

const DISMISSED_KEY = 'sync:dismissed';

/** Synced documents kept in IndexedDB, in the app's one database, so a sign-out wipes them too. */
export function dexieDocStorage(): DocStorage {
  return {
    async load(doc) {
      const rows = await localDb().docUpdates.where('doc').equals(doc).sortBy('id');
      return rows.map((row) => row.data);
    },
    async append(doc, update) {
      await localDb().docUpdates.add({ doc, data: update });
    },
    async replace(doc, state) {
      const db = localDb();
      await db.transaction('rw', db.docUpdates, async () => {
        await db.docUpdates.where('doc').equals(doc).delete();
        await db.docUpdates.add({ doc, data: state });
      });
    },
    async dismissed() {
      const row = await localDb().snapshots.get(DISMISSED_KEY);
      return Array.isArray(row?.value) ? row.value.filter((id): id is string => typeof id === 'string') : [];
    },
    async setDismissed(intentIds) {
      await localDb().snapshots.put({
        key: DISMISSED_KEY,
        value: [...intentIds],
        savedAt: new Date().toISOString(),
      });
    },
  };
}
