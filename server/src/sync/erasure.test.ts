import { decodeInboxEntry, docName, type Intent } from '@schoolping/shared';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadRoster } from '../db/school-store.ts';
import { SyncClients, synced, until } from '../../test/sync-clients.ts';
import { startSyncServer, type SyncServer } from '../../test/sync-server.ts';

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

/** Every file in the data folder that holds these bytes (the database, its log, anything). */
function filesHolding(text: string): string[] {
  const needle = Buffer.from(text, 'utf8');
  return readdirSync(server.dataDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => readFileSync(path).includes(needle));
}

it('erases a deleted message’s words from every document and from the data folder', async () => {
  const body = 'The rota for the ZEBRA-CROSSING-7731 patrol';
  const subject = 'Crossing patrol QUOKKA-2291';
  const { db } = server.context;
  const roster = loadRoster(db, server.school);
  const group = roster.groups.find((each) => each.kind === 'registration') ?? expect.fail('a class');
  const teacher = await server.addUser(['staff']);
  const teacherCookie = await server.signIn(teacher);
  const schoolId = server.school.id;
  const outbox = clients.connect(
    teacherCookie,
    docName({ kind: 'outbox', schoolId, owner: String(teacher.id), academicYear: null }),
  );
  const sent = clients.connect(
    teacherCookie,
    docName({ kind: 'sent', schoolId, owner: null, academicYear: null }),
  );
  await Promise.all([synced(outbox.provider), synced(sent.provider)]);
  const intent = (id: string, rest: Pick<Intent, 'type' | 'payload'>): Intent =>
    ({
      id,
      author: String(teacher.id),
      device: 'node',
      createdAt: server.now.toISOString(),
      ...rest,
    }) as Intent;
  outbox.doc.getMap('intents').set(
    'send-1',
    intent('send-1', {
      type: 'message-send',
      payload: { messageId: 'msg-1', subject, body, audience: { kind: 'groups', groupIds: [group.id] } },
    }),
  );
  await until(() => outbox.doc.getMap('verdicts').has('send-1'), 'the send verdict');

  const recipient = db
    .prepare("SELECT contact_id FROM message_recipients WHERE message_id = 'msg-1'")
    .pluck()
    .get() as string;
  const parent = await server.addUser(['parent'], recipient);
  const inbox = clients.connect(
    await server.signIn(parent),
    docName({ kind: 'parent-inbox', schoolId, owner: recipient, academicYear: 2026 }),
  );
  await synced(inbox.provider);
  await until(() => sent.doc.getMap('messages').has('msg-1'), 'the message in Sent');
  expect(decodeInboxEntry(inbox.doc.getMap('messages').get('msg-1'))).toMatchObject({ body });
  // The scan finds the words while they are meant to be there.
  expect(filesHolding(body).length).toBeGreaterThan(0);

  outbox.doc
    .getMap('intents')
    .set('delete-1', intent('delete-1', { type: 'message-delete', payload: { messageIds: ['msg-1'] } }));
  await until(() => outbox.doc.getMap('verdicts').has('delete-1'), 'the delete verdict');
  expect(outbox.doc.getMap('verdicts').get('delete-1')).toMatchObject({ status: 'accepted' });
  await until(() => !inbox.doc.getMap('messages').has('msg-1'), 'the message leaving the inbox');
  await until(() => !sent.doc.getMap('messages').has('msg-1'), 'the message leaving Sent');
  expect(outbox.doc.getMap('intents').get('send-1')).toMatchObject({ payload: { subject: '', body: '' } });

  expect(filesHolding(body)).toEqual([]);
  expect(filesHolding(subject)).toEqual([]);
});
