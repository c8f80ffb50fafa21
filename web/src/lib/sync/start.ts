import { docListingsSchema, type DocListing } from '@schoolping/shared';
import type { Me } from '$lib/services/auth';
import { getJson } from '$lib/services/api';
import { localDb } from '$lib/local-db';
import { dexieDocStorage } from './dexie-storage';
import { SessionEndedError, SyncClient, type SocketLike } from './sync-client';
import type { SyncStatus } from './sync-status';

/*
 * Loaded on its own after the first page, so Yjs is not in the first download: the sync client
 * for the signed-in person, with their documents' list kept for the next offline start.
 */

const listingKey = (me: Me): string => `sync-docs:${me.userId}`;

async function documentsFor(me: Me): Promise<DocListing[]> {
  const answer = await getJson(fetch, '/api/sync/docs');
  if (answer.kind === 'ok') {
    const parsed = docListingsSchema.safeParse((answer.value as { docs?: unknown }).docs);
    if (parsed.success) {
      await localDb()
        .snapshots.put({ key: listingKey(me), value: parsed.data, savedAt: new Date().toISOString() })
        .catch(() => undefined);
      return parsed.data;
    }
  }
  const saved = await localDb()
    .snapshots.get(listingKey(me))
    .catch(() => undefined);
  const parsed = docListingsSchema.safeParse(saved?.value);
  return parsed.success ? parsed.data : [];
}

export async function startSync(
  me: Me,
  onStatus: (status: SyncStatus) => void,
  onSessionEnded: () => void,
  onDocChange: (name: string) => void,
): Promise<SyncClient> {
  // Ask the browser not to clear this origin's storage under pressure: unsent changes live there.
  if ('storage' in navigator && 'persist' in navigator.storage)
    void navigator.storage.persist().catch(() => false);
  const socketUrl = `${location.origin.replace(/^http/, 'ws')}/sync`;
  const client = new SyncClient({
    listings: await documentsFor(me),
    storage: dexieDocStorage(),
    openSocket: () => new WebSocket(socketUrl) as unknown as SocketLike,
    exchange: async (body) => {
      const response = await fetch('/api/sync', {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
      if (response.status === 401) throw new SessionEndedError();
      if (!response.ok) throw new Error(`The server answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
    onStatus,
    onSessionEnded,
    onDocChange,
  });
  await client.start();
  return client;
}
