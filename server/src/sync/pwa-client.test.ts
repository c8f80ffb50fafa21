import { docName, type DocListing, type Intent } from '@schoolping/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRoster } from '../db/school-store.ts';
import { memoryDocStorage } from '../../test/memory-doc-storage.ts';
import { until } from '../../test/sync-clients.ts';
import { startSyncServer, type SyncServer } from '../../test/sync-server.ts';
import {
  SessionEndedError,
  SyncClient,
  type DocStorage,
  type SocketLike,
} from '../../../web/src/lib/sync/sync-client.ts';
import type { SyncStatus } from '../../../web/src/lib/sync/sync-status.ts';

/*
 * The PWA's sync client against the real hub over real sockets and HTTP, in Node: storage is a
 * Map standing in for IndexedDB (the browser's own is exercised by the e2e tests).
 */

let server: SyncServer;
const running: SyncClient[] = [];
beforeEach(async () => {
  server = await startSyncServer();
});
afterEach(async () => {
  for (const client of running.splice(0)) client.stop();
  await server.close();
});

interface Harness {
  readonly client: SyncClient;
  readonly statuses: SyncStatus[];
  readonly network: { isUp: boolean; socketsBroken: boolean };
}

async function listings(cookie: string): Promise<DocListing[]> {
  const response = await fetch(`${server.url.replace('ws:', 'http:')}/api/sync/docs`, {
    headers: { cookie },
  });
  return ((await response.json()) as { docs: DocListing[] }).docs;
}

function startClient(cookie: string, docs: readonly DocListing[], storage: DocStorage): Harness {
  const http = server.url.replace('ws:', 'http:');
  const network = { isUp: true, socketsBroken: false };
  const statuses: SyncStatus[] = [];
  const Socket = server.socketClass(cookie);
  const client = new SyncClient({
    listings: docs,
    storage,
    random: () => 0,
    onStatus: (status) => statuses.push(status),
    onSessionEnded: () => undefined,
    openSocket: () => {
      // A network that is down, or a filter that breaks WebSockets: the socket never opens.
      const address = network.isUp && !network.socketsBroken ? `${server.url}/sync` : 'ws://127.0.0.1:9/sync';
      return new Socket(address) as unknown as SocketLike;
    },
    exchange: async (body) => {
      if (!network.isUp) throw new TypeError('Failed to fetch');
      const response = await fetch(`${http}/api/sync`, {
        method: 'POST',
        headers: { cookie, origin: http, 'content-type': 'application/octet-stream' },
        body,
      });
      if (response.status === 401) throw new SessionEndedError();
      if (!response.ok) throw new Error(`sync answered ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  });
  running.push(client);
  return { client, statuses, network };
}

async function teacherAndClass() {
  const roster = loadRoster(server.context.db, server.school);
  const group = roster.groups.find((each) => each.kind === 'registration') ?? expect.fail('a class');
  const teacher = await server.addUser(['staff']);
  const cookie = await server.signIn(teacher);
  const send = (id: string): Intent => ({
    id,
    author: String(teacher.id),
    device: 'tablet',
    createdAt: new Date().toISOString(),
    type: 'message-send',
    payload: {
      messageId: `m-${id}`,
      subject: 'Note',
      body: 'Hello',
      audience: { kind: 'groups', groupIds: [group.id] },
    },
  });
  const outbox = docName({
    kind: 'outbox',
    schoolId: server.school.id,
    owner: String(teacher.id),
    academicYear: null,
  });
  return { cookie, send, outbox };
}

const decided = (id: string): boolean =>
  server.context.db.prepare('SELECT 1 FROM intents WHERE id = ?').get(id) !== undefined;

describe('the PWA sync client', () => {
  it('keeps a change made offline as pending, and sends it when the network returns', async () => {
    const { cookie, send, outbox } = await teacherAndClass();
    const storage = memoryDocStorage();
    const { client, network } = startClient(cookie, await listings(cookie), storage);
    network.isUp = false;
    await client.start();
    await until(() => client.status.connection === 'offline', 'offline');
    client.submit(send('offline-1'));
    expect(client.status).toMatchObject({ pending: 1 });
    await until(() => (storage.docs.get(outbox) ?? []).length > 0, 'the intent kept on the device');
    expect(decided('offline-1')).toBe(false);

    network.isUp = true;
    await until(() => client.status.pending === 0, 'the verdict', 10_000);
    expect(decided('offline-1')).toBe(true);
    expect(client.status).toMatchObject({ connection: 'online', rejected: [] });
    expect(client.doc(outbox)?.getMap('verdicts').get('offline-1')).toMatchObject({ status: 'accepted' });
  });

  it('goes by plain HTTP when WebSockets never get through', async () => {
    const { cookie, send } = await teacherAndClass();
    const { client, network } = startClient(cookie, await listings(cookie), memoryDocStorage());
    network.socketsBroken = true;
    await client.start();
    client.submit(send('http-1'));
    await until(() => client.status.pending === 0, 'the verdict over HTTP', 10_000);
    expect(client.status.transport).toBe('http');
    expect(decided('http-1')).toBe(true);
  });

  it('opens what it kept on the device with the network off, and lists a refusal in words', async () => {
    const { cookie, send, outbox } = await teacherAndClass();
    const storage = memoryDocStorage();
    const docs = await listings(cookie);
    const first = startClient(cookie, docs, storage);
    await first.client.start();
    const refused: Intent = {
      ...send('bad-1'),
      payload: { ...send('bad-1').payload, audience: { kind: 'groups', groupIds: ['no-such-class'] } },
    } as Intent;
    first.client.submit(refused);
    await until(() => first.client.status.rejected.length === 1, 'the refusal');
    expect(first.client.status.rejected[0]).toMatchObject({ intentId: 'bad-1', type: 'message-send' });
    first.client.stop();

    const second = startClient(cookie, docs, storage);
    second.network.isUp = false;
    await second.client.start();
    expect(second.client.doc(outbox)?.getMap('verdicts').get('bad-1')).toMatchObject({ status: 'rejected' });
    expect(second.client.status.rejected).toHaveLength(1);

    // Read and put away: gone from the list, on this device, for good.
    await second.client.dismiss(['bad-1']);
    expect(second.client.status.rejected).toEqual([]);
    second.client.stop();
    const third = startClient(cookie, docs, storage);
    third.network.isUp = false;
    await third.client.start();
    expect(third.client.status.rejected).toEqual([]);
    expect(third.client.doc(outbox)?.getMap('verdicts').get('bad-1')).toMatchObject({ status: 'rejected' });
  });
});
