import { docName, type Intent } from '@schoolping/shared';
import * as Y from 'yjs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { startSyncServer, type SyncServer } from '../../test/sync-server.ts';

/*
 * A parent whose children have all left reads for a while but changes nothing. A read they made
 * offline before that still reaches the server, and is answered: rejected, in words, never left
 * pending.
 */

let server: SyncServer;
beforeEach(async () => {
  server = await startSyncServer();
});
afterEach(async () => {
  await server.close();
});

it('answers a read-only parent’s intents with a read-only rejection and changes nothing', async () => {
  const { db } = server.context;
  const contactId = db
    .prepare("SELECT mis_id FROM mis_records WHERE kind = 'contact' ORDER BY mis_id LIMIT 1")
    .pluck()
    .get() as string;
  const parent = await server.addUser(['parent'], contactId);
  const signedIn = await server.signedIn(parent);
  const readOnly = { ...signedIn, principal: { ...signedIn.principal, isReadOnly: true } };
  const outbox = docName({
    kind: 'outbox',
    schoolId: server.school.id,
    owner: String(parent.id),
    academicYear: null,
  });
  const opened = server.engine.open(readOnly.principal, outbox);
  if (!opened.ok) expect.fail('a read-only parent still opens their outbox');
  const device = new Y.Doc();
  const read: Intent = {
    id: 'read-offline-1',
    author: String(parent.id),
    device: 'phone',
    createdAt: server.now.toISOString(),
    type: 'message-read',
    payload: { messageId: 'any' },
  };
  device.getMap('intents').set(read.id, read);
  const before = db
    .prepare('SELECT COUNT(*) FROM message_recipients WHERE read_at IS NOT NULL')
    .pluck()
    .get();

  const result = await server.engine.receiveUpdate(
    readOnly,
    outbox,
    opened.ref,
    Y.encodeStateAsUpdate(device),
  );

  expect(result.kind).toBe('stored');
  const stored = new Y.Doc();
  Y.applyUpdate(stored, server.engine.documents.state(outbox));
  expect(stored.getMap('verdicts').get(read.id)).toMatchObject({
    status: 'rejected',
    reason: 'read-only',
    sentence: expect.stringContaining('can no longer change anything') as unknown,
  });
  expect(db.prepare('SELECT COUNT(*) FROM message_recipients WHERE read_at IS NOT NULL').pluck().get()).toBe(
    before,
  );
});
