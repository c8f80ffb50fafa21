import { DOC_SHAPE_VERSION, decodeInboxEntry, docName, type Intent } from '@schoolping/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRoster } from '../db/school-store.ts';
import { startSyncServer, type SyncServer } from '../../test/sync-server.ts';
import { SyncClients, synced, until } from '../../test/sync-clients.ts';

/*
 * The stock y-websocket client, unchanged, against the hub: the proof that /sync/<document> speaks
 * the ecosystem's protocol. It is given only a WebSocket class that sends the session cookie and
 * our Origin, as a browser on our own page would.
 */

let server: SyncServer;
let clients: SyncClients;
beforeEach(async () => {
  server = await startSyncServer();
  clients = new SyncClients(server);
});
afterEach(async () => {
  clients.destroy();
  await server.close();
});

const connect = (cookie: string, name: string) => clients.connect(cookie, name);

/** The HTTP status an upgrade is answered with, or 101 when a socket opens. */
function upgradeStatus(cookie: string, name: string): Promise<number> {
  return new Promise((resolve) => {
    const Socket = server.socketClass(cookie);
    const socket = new Socket(`${server.url}/sync/${name}`);
    socket.on('open', () => {
      socket.close();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

async function setUp() {
  const roster = loadRoster(server.context.db, server.school);
  const group = roster.groups.find((each) => each.kind === 'registration') ?? expect.fail('a class');
  const teacher = await server.addUser(['staff']);
  const teacherCookie = await server.signIn(teacher);
  const outbox = connect(
    teacherCookie,
    docName({ kind: 'outbox', schoolId: server.school.id, owner: String(teacher.id), academicYear: null }),
  );
  await synced(outbox.provider);
  const send: Intent = {
    id: 'intent-send-1',
    author: String(teacher.id),
    device: 'node',
    createdAt: server.now.toISOString(),
    type: 'message-send',
    payload: {
      messageId: 'msg-1',
      subject: 'Harvest festival',
      body: 'Tins for the food bank, please.',
      audience: { kind: 'groups', groupIds: [group.id] },
    },
  };
  outbox.doc.getMap('intents').set(send.id, send);
  const verdicts = outbox.doc.getMap('verdicts');
  await until(() => verdicts.has(send.id), 'the verdict');
  expect(verdicts.get(send.id)).toMatchObject({ status: 'accepted', seq: 1 });
  const recipients = server.context.db
    .prepare("SELECT contact_id FROM message_recipients WHERE message_id = 'msg-1'")
    .pluck()
    .all() as string[];
  const otherFamily =
    roster.contacts.find((each) => !recipients.includes(each.id)) ?? expect.fail('another family');
  const parentA = await server.addUser(['parent'], recipients[0] ?? null);
  const parentB = await server.addUser(['parent'], otherFamily.id);
  const inbox = (contactId: string | null) =>
    docName({ kind: 'parent-inbox', schoolId: server.school.id, owner: contactId, academicYear: 2026 });
  return { parentA, parentB, inboxA: inbox(parentA.misId), inboxB: inbox(parentB.misId) };
}

describe('the stock y-websocket client', () => {
  it('syncs a parent’s inbox, with the message a teacher sent through her outbox', async () => {
    const { parentA, inboxA } = await setUp();
    const cookie = await server.signIn(parentA);
    const { provider, doc } = connect(cookie, inboxA);
    await synced(provider);
    expect(decodeInboxEntry(doc.getMap('messages').get('msg-1'))).toMatchObject({
      subject: 'Harvest festival',
      body: 'Tins for the food bank, please.',
    });
    expect(doc.getMap('meta').toJSON()).toEqual({ version: DOC_SHAPE_VERSION, kind: 'parent-inbox' });
  });

  it('is refused another family’s inbox, and a socket with no session at all', async () => {
    const { parentA, inboxB } = await setUp();
    const cookie = await server.signIn(parentA);
    expect(await upgradeStatus(cookie, inboxB)).toBe(403);
    expect(await upgradeStatus('', inboxB)).toBe(401);
    expect(await upgradeStatus(cookie, 'not-a-document')).toBe(404);
    const { provider } = connect(cookie, inboxB);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(provider.synced).toBe(false);
  });

  it('cannot change its inbox: the change stays on that device, and the attempt is logged', async () => {
    const { parentA, inboxA } = await setUp();
    const cookie = await server.signIn(parentA);
    const first = connect(cookie, inboxA);
    await synced(first.provider);
    first.doc.getMap('messages').set('forged', { subject: 'Free holiday' });
    first.doc.getMap('messages').delete('msg-1');
    await until(
      () => server.lines.some((line) => line.includes(`dropped an update to ${inboxA}`)),
      'the log line',
    );
    const second = connect(cookie, inboxA);
    await synced(second.provider);
    expect([...second.doc.getMap('messages').keys()]).toEqual(['msg-1']);
  });

  it('closes the socket when the session ends', async () => {
    const { parentA, inboxA } = await setUp();
    const cookie = await server.signIn(parentA);
    const { provider } = connect(cookie, inboxA);
    await synced(provider);
    const closed = new Promise<number>((resolve) => {
      provider.once('connection-close', (event) => {
        resolve(event?.code ?? 0);
      });
    });
    await fetch(`${server.url.replace('ws:', 'http:')}/api/auth/sign-out`, {
      method: 'POST',
      headers: { cookie, origin: server.url.replace('ws:', 'http:'), 'content-type': 'application/json' },
      body: '{}',
    });
    // The next frame finds the session gone.
    provider.ws?.send(new Uint8Array([0, 0, 1, 0]));
    expect(await closed).toBe(4401);
  });
});
