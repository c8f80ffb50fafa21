import { afterEach, describe, expect, it } from 'vitest';
import { oneRosterBundle } from '../../../../test/oneroster-feeds.ts';
import { zipOf } from '../../../../test/zip-builder.ts';
import { createSchool, loadRoster } from '../../../db/school-store.ts';
import { tempDatabase } from '../../../../test/temp-database.ts';
import { demoFeed } from '../../../../test/ingest-fixture.ts';
import { standInConnection, xodStandInData } from '../../../../test/xod-fixtures.ts';
import { saveConnection } from '../../xod/pull.ts';
import { startXodStandIn } from '../../../../test/xod-standin.ts';
import { FeedWorker } from './feed-pool.ts';

const NOW = new Date('2026-11-10T10:00:00Z');
let temp: ReturnType<typeof tempDatabase>;
let worker: FeedWorker;
afterEach(async () => {
  await worker.stop();
  temp.cleanup();
});

const json = (value: unknown): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(JSON.stringify(value)));
const runs = (outcome: string): number =>
  (temp.db.prepare('SELECT count(*) AS n FROM ingest_runs WHERE outcome = ?').get(outcome) as { n: number })
    .n;

describe('the ingest worker', { timeout: 60_000 }, () => {
  it('refuses and records a feed that exhausts its memory, and reads the next one with a fresh worker', async () => {
    temp = tempDatabase();
    const school = createSchool(temp.db, { name: 'Brookfield Primary School', estab: '8012000' }, NOW);
    worker = new FeedWorker({ maxHeapMb: 64 });
    const heavy = new Uint8Array(zipOf(oneRosterBundle({ pupils: 100_000, estab: '8012000' })));
    const reply = await worker.run(temp.db, { kind: 'oneroster-zip', schoolId: school.id, body: heavy }, NOW);
    expect(reply).toMatchObject({ status: 500, body: { error: 'feed-failed' } });
    expect(String(reply.body.message)).toContain('more memory');
    expect(runs('rejected')).toBe(1);
    expect(loadRoster(temp.db, school).pupils).toHaveLength(0);

    const next = await worker.run(
      temp.db,
      { kind: 'xporter', schoolId: school.id, body: json(demoFeed().payload) },
      NOW,
    );
    expect(next.status).toBe(200);
    expect(loadRoster(temp.db, school).pupils.length).toBeGreaterThan(400);
  });

  it('reads one feed at a time and answers "busy" at once when too many wait', async () => {
    temp = tempDatabase();
    const school = createSchool(temp.db, { name: 'Brookfield Primary School', estab: '8012000' }, NOW);
    worker = new FeedWorker({ maxWaiting: 1 });
    const body = (): Uint8Array<ArrayBuffer> => json(demoFeed().payload);
    const replies = await Promise.all(
      Array.from({ length: 4 }, () =>
        worker.run(temp.db, { kind: 'xporter', schoolId: school.id, body: body() }, NOW),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual([200, 200, 503, 503]);
    expect(replies[2]?.body).toMatchObject({ error: 'busy' });
    // Refused for being busy is still a refusal sync health should see.
    expect(runs('rejected')).toBe(2);
  });

  it('gives up a feed that takes too long, records it, and reads the next with a fresh worker', async () => {
    temp = tempDatabase();
    const school = createSchool(temp.db, { name: 'Brookfield Primary School', estab: '8012000' }, NOW);
    worker = new FeedWorker({ jobTimeoutMs: 300 });
    const slow = new Uint8Array(zipOf(oneRosterBundle({ pupils: 50_000, estab: '8012000' })));
    const reply = await worker.run(temp.db, { kind: 'oneroster-zip', schoolId: school.id, body: slow }, NOW);
    expect(reply).toMatchObject({ status: 500, body: { error: 'feed-failed' } });
    expect(String(reply.body.message)).toContain('took too long');
    expect(runs('rejected')).toBe(1);
    expect(loadRoster(temp.db, school).pupils).toHaveLength(0);
    const patient = new FeedWorker();
    try {
      const next = await patient.run(
        temp.db,
        { kind: 'xporter', schoolId: school.id, body: json(demoFeed().payload) },
        NOW,
      );
      expect(next.status).toBe(200);
    } finally {
      await patient.stop();
    }
  });

  it('pulls from Xporter on Demand over real HTTP, off the request thread', async () => {
    temp = tempDatabase();
    const standIn = await startXodStandIn(xodStandInData());
    try {
      const school = createSchool(temp.db, { name: 'Waters Edge Primary School', estab: '8232999' }, NOW);
      saveConnection(temp.db, standInConnection(standIn, school.id));
      worker = new FeedWorker();
      const reply = await worker.run(temp.db, { kind: 'xod-pull', schoolId: school.id }, NOW);
      expect(reply).toMatchObject({ status: 200, body: { outcome: 'applied' } });
      expect(loadRoster(temp.db, school).pupils.length).toBeGreaterThan(0);
    } finally {
      await standIn.close();
    }
  });
});
