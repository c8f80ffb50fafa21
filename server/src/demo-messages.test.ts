import { decodeInboxEntry, docName } from '@schoolping/shared';
import * as Y from 'yjs';
import { afterEach, expect, it } from 'vitest';
import { createAppWithContext } from './app.ts';
import { accessFor } from './auth/access.ts';
import { DEFAULT_IDENTITY } from './auth/settings.ts';
import { userById } from './auth/users.ts';
import { createDemoAccounts } from './demo-accounts.ts';
import { loadDemoOnFirstRun } from './demo-data.ts';
import { sendDemoMessages } from './demo-messages.ts';
import { tempDatabase } from '../test/temp-database.ts';

const temp = tempDatabase();
afterEach(() => {
  temp.cleanup();
});

it('gives a fresh demo a term of messages, in Karen Daley’s inbox and in Sent, through the intents path', async () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const school = loadDemoOnFirstRun(temp.db, now) ?? expect.fail('the demo loads');
  await createDemoAccounts(temp.db, school, temp.dataDir, now);
  // September to the start of December: the templates dated up to today, no later.
  expect(sendDemoMessages(temp.db, school, now)).toBe(9);
  expect(temp.db.prepare("SELECT COUNT(*) FROM intents WHERE type = 'message-send'").pluck().get()).toBe(9);

  const { sync } = createAppWithContext({ db: temp.db, clock: () => now });
  const karenId = temp.db.prepare("SELECT id FROM users WHERE name = 'Karen Daley'").pluck().get() as number;
  const karen = userById(temp.db, karenId) ?? expect.fail('Karen’s account');
  const access = accessFor(temp.db, karen, now, DEFAULT_IDENTITY);
  if (!access.ok) expect.fail('Karen may sign in');
  const inbox = docName({
    kind: 'parent-inbox',
    schoolId: school.id,
    owner: karen.misId,
    academicYear: 2026,
  });
  expect(sync.open(access.principal, inbox).ok).toBe(true);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, sync.documents.state(inbox));
  const messages = doc.getMap('messages');
  expect(messages.size).toBe(9);
  expect(decodeInboxEntry(messages.get('demo-message-1'))).toMatchObject({ subject: 'Welcome back' });
  expect(doc.getMap('reads').size).toBe(4);
});
