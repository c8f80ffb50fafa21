import { docName, type DocRef, type Intent } from '@schoolping/shared';
import * as Y from 'yjs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createAppWithContext } from '../app.ts';
import { loadRoster } from '../db/school-store.ts';
import type { SignedIn } from '../http/session.ts';
import { startSyncServer, type SyncServer } from '../../test/sync-server.ts';
import type { SyncEngine } from './engine.ts';

/*
 * A device back from weeks offline sends its whole backlog in one update. It is decided in
 * batches of one transaction each, with the event loop free between them, so nobody else's
 * requests wait behind it; a backlog cut short by a stop is finished when the device sends it
 * again, and nothing is decided twice.
 */

const SENDS = 300;
const BATCH = { budgetMs: Number.POSITIVE_INFINITY, maxIntents: 10 };

let server: SyncServer;
beforeEach(async () => {
  server = await startSyncServer(undefined, { batch: BATCH });
});
afterEach(async () => {
  await server.close();
});

interface Backlog {
  readonly signedIn: SignedIn;
  readonly outbox: string;
  readonly ref: DocRef;
  readonly update: Uint8Array;
}

/** A teacher's offline term: `SENDS` messages to one class, in one update. */
async function backlog(): Promise<Backlog> {
  const { db } = server.context;
  const roster = loadRoster(db, server.school);
  const group = roster.groups.find((each) => each.kind === 'registration') ?? expect.fail('a class');
  const teacher = await server.addUser(['staff']);
  const signedIn = await server.signedIn(teacher);
  const outbox = docName({
    kind: 'outbox',
    schoolId: server.school.id,
    owner: String(teacher.id),
    academicYear: null,
  });
  const opened = server.engine.open(signedIn.principal, outbox);
  if (!opened.ok) expect.fail('the teacher opens her outbox');
  const device = new Y.Doc();
  const intents = device.getMap('intents');
  device.transact(() => {
    for (let index = 0; index < SENDS; index++) {
      const intent: Intent = {
        id: `send-${index}`,
        author: String(teacher.id),
        device: 'tablet',
        createdAt: server.now.toISOString(),
        type: 'message-send',
        payload: {
          messageId: `m-${index}`,
          subject: `Notice ${index}`,
          body: 'Please read.',
          audience: { kind: 'groups', groupIds: [group.id] },
        },
      };
      intents.set(intent.id, intent);
    }
  });
  return { signedIn, outbox, ref: opened.ref, update: Y.encodeStateAsUpdate(device) };
}

function verdictsIn(engine: SyncEngine, outbox: string): Map<string, unknown> {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, engine.documents.state(outbox));
  return new Map(doc.getMap('verdicts').entries());
}

const count = (sql: string): number => server.context.db.prepare(sql).pluck().get() as number;

it('decides a backlog in batches, answering other requests between them, each intent once', async () => {
  const { signedIn, outbox, ref, update } = await backlog();
  const commits: number[] = [];
  const stop = server.engine.onWritten((written) => {
    if (written.has(outbox)) commits.push(verdictsIn(server.engine, outbox).size);
  });
  const deciding = server.engine.receiveUpdate(signedIn, outbox, ref, update);
  let decidedWhenAnswered = -1;
  const health = fetch(`${server.url.replace('ws', 'http')}/api/health`).then((response) => {
    decidedWhenAnswered = count('SELECT COUNT(*) FROM intents');
    return response.status;
  });
  const result = await deciding;
  stop();
  expect(await health).toBe(200);
  expect(result.kind).toBe('stored');
  // The request was answered while the backlog was still being decided.
  expect(decidedWhenAnswered).toBeGreaterThanOrEqual(0);
  expect(decidedWhenAnswered).toBeLessThan(SENDS);
  // One commit per batch, each adding its verdicts; the last one stores the intents too.
  expect(commits).toEqual(Array.from({ length: SENDS / BATCH.maxIntents }, (_, index) => (index + 1) * 10));
  expect(count('SELECT COUNT(*) FROM intents')).toBe(SENDS);
  expect(count('SELECT COUNT(*) FROM messages')).toBe(SENDS);
  const stored = new Y.Doc();
  Y.applyUpdate(stored, server.engine.documents.state(outbox));
  expect(stored.getMap('intents').size).toBe(SENDS);
});

it('finishes a backlog cut short by a stop when the device sends it again, deciding nothing twice', async () => {
  const { signedIn, outbox, ref, update } = await backlog();
  const { db } = server.context;
  const first = server.engine.receiveUpdate(signedIn, outbox, ref, update);
  // Let a few batches commit, then stop the server's engine as a graceful stop would.
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  server.engine.stop();
  expect((await first).kind).toBe('stopped');
  const decidedBefore = db.prepare('SELECT id, seq, verdict FROM intents ORDER BY seq').all();
  expect(decidedBefore.length).toBeGreaterThan(0);
  expect(decidedBefore.length).toBeLessThan(SENDS);
  // Nothing of the update is stored yet, so the device's next sync sends all of it again.
  const held = new Y.Doc();
  Y.applyUpdate(held, server.engine.documents.state(outbox));
  expect(held.getMap('intents').size).toBe(0);

  // The next start: a new engine on the same database.
  const { sync: restarted } = createAppWithContext({
    db,
    clock: () => server.now,
    log: () => undefined,
    batch: BATCH,
  });
  const again = await restarted.receiveUpdate(signedIn, outbox, ref, update);
  expect(again.kind).toBe('stored');
  const decidedAfter = db.prepare('SELECT id, seq, verdict FROM intents ORDER BY seq').all();
  expect(decidedAfter).toHaveLength(SENDS);
  // What was decided before the stop kept its verdict and place.
  expect(decidedAfter.slice(0, decidedBefore.length)).toEqual(decidedBefore);
  expect(count('SELECT COUNT(*) FROM messages')).toBe(SENDS);
  const classSize = count("SELECT COUNT(*) FROM message_recipients WHERE message_id = 'm-0'");
  expect(classSize).toBeGreaterThan(0);
  expect(count('SELECT COUNT(*) FROM message_recipients')).toBe(SENDS * classSize);
  expect(verdictsIn(restarted, outbox).size).toBe(SENDS);
});
