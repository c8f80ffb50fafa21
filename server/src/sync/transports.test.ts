import { decodeInboxEntry, docName, type Intent } from '@schoolping/shared';
import * as Y from 'yjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadRoster } from '../db/school-store.ts';
import { until } from '../../test/sync-clients.ts';
import { startSyncServer, type SyncServer } from '../../test/sync-server.ts';
import { readBatch, readNamed, writeBatch, writeNamed } from '@schoolping/shared';
import { readMessage, step1Message, updateMessage } from '@schoolping/shared';

let server: SyncServer;
beforeEach(async () => {
  server = await startSyncServer();
});
afterEach(async () => {
  await server.close();
});

const http = (): string => server.url.replace('ws:', 'http:');

/** A teacher who has sent one message to a class, and a parent who received it. */
async function sentAndReceived() {
  const { db } = server.context;
  const roster = loadRoster(db, server.school);
  const group = roster.groups.find((each) => each.kind === 'registration') ?? expect.fail('a class');
  const teacher = await server.addUser(['staff']);
  const schoolId = server.school.id;
  const send: Intent = {
    id: 'send-1',
    author: String(teacher.id),
    device: 'node',
    createdAt: server.now.toISOString(),
    type: 'message-send',
    payload: {
      messageId: 'msg-1',
      subject: 'Trip',
      body: 'Coats, please.',
      audience: { kind: 'groups', groupIds: [group.id] },
    },
  };
  const device = new Y.Doc();
  const updates: Uint8Array[] = [];
  device.on('update', (update: Uint8Array) => updates.push(update));
  device.getMap('intents').set(send.id, send);
  const teacherCookie = await server.signIn(teacher);
  const outbox = docName({ kind: 'outbox', schoolId, owner: String(teacher.id), academicYear: null });
  const answer = await post(teacherCookie, [writeNamed(outbox, updateMessage(Y.mergeUpdates(updates)))]);
  expect(answer.status).toBe(200);
  const recipient = db
    .prepare("SELECT contact_id FROM message_recipients WHERE message_id = 'msg-1'")
    .pluck()
    .get() as string;
  const parent = await server.addUser(['parent'], recipient);
  return {
    teacherCookie,
    outbox,
    parentCookie: await server.signIn(parent),
    inbox: docName({ kind: 'parent-inbox', schoolId, owner: recipient, academicYear: 2026 }),
  };
}

function post(cookie: string, frames: Uint8Array[], headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${http()}/api/sync`, {
    method: 'POST',
    headers: { cookie, origin: http(), 'content-type': 'application/octet-stream', ...headers },
    body: writeBatch(frames),
  });
}

/** Applies every step 2 and update in an answer to the named local documents. */
function applyAnswer(bytes: Uint8Array, docs: Record<string, Y.Doc>): void {
  for (const frame of readBatch(bytes, 1000)) applyFrame(frame, docs);
}

function applyFrame(frame: Uint8Array, docs: Record<string, Y.Doc>): void {
  const { name, message } = readNamed(frame);
  const parsed = readMessage(message);
  const doc = docs[name];
  if (parsed.kind === 'update' && doc) Y.applyUpdate(doc, parsed.update);
}

describe('POST /api/sync, for networks that break WebSockets', () => {
  it('carries a parent’s inbox down and a teacher’s intents up, with their verdicts', async () => {
    const { parentCookie, inbox, teacherCookie, outbox } = await sentAndReceived();
    const inboxDoc = new Y.Doc();
    const answer = await post(parentCookie, [writeNamed(inbox, step1Message(Y.encodeStateVector(inboxDoc)))]);
    expect(answer.headers.get('content-type')).toBe('application/octet-stream');
    applyAnswer(new Uint8Array(await answer.arrayBuffer()), { [inbox]: inboxDoc });
    expect(decodeInboxEntry(inboxDoc.getMap('messages').get('msg-1'))).toMatchObject({
      subject: 'Trip',
      body: 'Coats, please.',
    });

    const outboxDoc = new Y.Doc();
    const mine = await post(teacherCookie, [
      writeNamed(outbox, step1Message(Y.encodeStateVector(outboxDoc))),
    ]);
    applyAnswer(new Uint8Array(await mine.arrayBuffer()), { [outbox]: outboxDoc });
    expect(outboxDoc.getMap('verdicts').get('send-1')).toMatchObject({ status: 'accepted' });
  });

  it('refuses another family’s documents, bytes that are not frames, the wrong type and other sites', async () => {
    const { teacherCookie, inbox } = await sentAndReceived();
    const asking = [writeNamed(inbox, step1Message(new Uint8Array([0])))];
    expect((await post(teacherCookie, asking)).status).toBe(403);
    const garbage = await fetch(`${http()}/api/sync`, {
      method: 'POST',
      headers: { cookie: teacherCookie, origin: http(), 'content-type': 'application/octet-stream' },
      body: new Uint8Array([200, 1, 2]),
    });
    expect(garbage.status).toBe(400);
    expect((await post(teacherCookie, asking, { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(teacherCookie, asking, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await post('', asking)).status).toBe(401);
  });
});

describe('changes brought by one transport', () => {
  it('reach subscribers on another: a message sent over HTTP arrives in an open socket', async () => {
    const { parentCookie, inbox, teacherCookie, outbox } = await sentAndReceived();
    const Socket = server.socketClass(parentCookie);
    const socket = new Socket(`${server.url}/sync`);
    const inboxDoc = new Y.Doc();
    socket.on('message', (data: Buffer) => {
      applyFrame(new Uint8Array(data), { [inbox]: inboxDoc });
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(writeNamed(inbox, step1Message(Y.encodeStateVector(inboxDoc))));
    await until(() => inboxDoc.getMap('messages').has('msg-1'), 'the first message');

    const roster = loadRoster(server.context.db, server.school);
    const pupil = server.context.db
      .prepare(
        "SELECT json_extract(pupil_ids, '$[0]') FROM message_recipients WHERE message_id = 'msg-1' LIMIT 1",
      )
      .pluck()
      .get() as string;
    const group =
      roster.memberships.find((each) => each.pupilId === pupil)?.groupId ?? expect.fail('a class');
    const device = new Y.Doc();
    const updates: Uint8Array[] = [];
    device.on('update', (update: Uint8Array) => updates.push(update));
    const teacherId = outbox.split('.').at(-1) ?? '';
    device.getMap('intents').set('send-2', {
      id: 'send-2',
      author: teacherId,
      device: 'node',
      createdAt: server.now.toISOString(),
      type: 'message-send',
      payload: {
        messageId: 'msg-2',
        subject: 'Again',
        body: 'Over HTTP.',
        audience: { kind: 'groups', groupIds: [group] },
      },
    });
    const [first] = updates;
    if (!first) expect.fail('an update');
    // The teacher's outbox on the server already holds send-1: send only what follows it.
    const answer = await post(teacherCookie, [writeNamed(outbox, updateMessage(first))]);
    expect(answer.status).toBe(200);
    await until(() => inboxDoc.getMap('messages').has('msg-2'), 'the message sent over HTTP, live');
    socket.close();
  });
});

describe('the /sync socket, many documents at once', () => {
  it('names each frame’s document, follows each one asked for, and closes on a forbidden one', async () => {
    const { parentCookie, inbox, outbox } = await sentAndReceived();
    const Socket = server.socketClass(parentCookie);
    const socket = new Socket(`${server.url}/sync`);
    const inboxDoc = new Y.Doc();
    const heard: string[] = [];
    const closed = new Promise<number>((resolve) => {
      socket.on('close', (code) => {
        resolve(code);
      });
    });
    socket.on('message', (data: Buffer) => {
      const frame = new Uint8Array(data);
      heard.push(readNamed(frame).name);
      applyFrame(frame, { [inbox]: inboxDoc });
    });
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(writeNamed(inbox, step1Message(Y.encodeStateVector(inboxDoc))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(heard).toEqual([inbox, inbox]);
    expect(inboxDoc.getMap('messages').has('msg-1')).toBe(true);
    // The teacher's outbox is not this parent's to open.
    socket.send(writeNamed(outbox, step1Message(new Uint8Array([0]))));
    expect(await closed).toBe(4400);
  });
});
