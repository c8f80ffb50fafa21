import {
  heldListSchema,
  ingestKeyAnswerSchema,
  syncTimelineSchema,
  xodConnectionSchema,
} from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchool, loadRoster } from '../db/school-store.ts';
import { demoFeed, ingestFixture, type IngestFixture } from '../../test/ingest-fixture.ts';
import { makeUser, sessionCookie } from '../../test/test-accounts.ts';
import { runDaily } from '../ingest/core/daily.ts';
import { toXporterPayload } from '../ingest/xporter/demo-feed.ts';

let fixture: IngestFixture;
afterEach(() => {
  fixture.cleanup();
});

const NOW = new Date('2027-03-15T09:00:00Z');

function admin(f: IngestFixture): Record<string, string> {
  return { ...f.as(['staff', 'school-admin']), 'content-type': 'application/json' };
}
const post = (f: IngestFixture, path: string, headers: Record<string, string>, body: unknown = {}) =>
  f.app.request(path, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const auditActions = (f: IngestFixture): string[] =>
  f.db.prepare('SELECT action FROM audit_log ORDER BY id').pluck().all() as string[];

/** The demo feed, then one that leaves out half the pupils without a leave date: held. */
async function withHeldSnapshot(f: IngestFixture): Promise<number> {
  const { mis, payload } = demoFeed();
  expect((await f.pushXporter(payload)).status).toBe(200);
  const kept = new Set(mis.pupils.slice(0, Math.floor(mis.pupils.length / 2)).map((pupil) => pupil.id));
  const links = mis.links.filter((link) => kept.has(link.pupilId));
  const contacts = new Set(links.map((link) => link.contactId));
  const half = toXporterPayload({
    ...mis,
    pupils: mis.pupils.filter((pupil) => kept.has(pupil.id)),
    links,
    contacts: mis.contacts.filter((contact) => contacts.has(contact.id)),
    memberships: mis.memberships.filter((membership) => kept.has(membership.pupilId)),
  });
  f.now = new Date(f.now.getTime() + 3_600_000);
  const held = await f.pushXporter(half);
  expect(held.status).toBe(202);
  return ((await held.json()) as { heldId: number }).heldId;
}

const onRoll = (f: IngestFixture): number =>
  loadRoster(f.db, f.school).pupils.filter((pupil) => pupil.leavingDate === null).length;

describe('the MIS sync screen’s routes', () => {
  it('draws a fortnight of runs, with pupils joined and left, and the latest runs with their warnings', async () => {
    fixture = ingestFixture(new Date('2027-07-22T09:00:00Z'));
    await fixture.pushXporter(demoFeed().payload);
    // The leave date's 02:00 run, then a broken feed that morning.
    fixture.now = new Date('2027-07-23T09:00:00Z');
    fixture.db.transaction(() => runDaily(fixture.db, fixture.school.id, fixture.now)).immediate();
    await fixture.pushXporter({ Students: 'broken' });
    const response = await fixture.app.request('/api/mis/runs', { headers: admin(fixture) });
    const timeline = syncTimelineSchema.parse(await response.json());
    expect(timeline.days).toHaveLength(14);
    expect(timeline.days.at(-2)).toMatchObject({ day: '2027-07-22', applied: 1, notApplied: 0 });
    expect(timeline.days.at(-1)).toMatchObject({ day: '2027-07-23', applied: 0, notApplied: 1 });
    expect(timeline.days.at(-1)?.pupilsLeft).toBeGreaterThan(20);
    expect(timeline.runs.map((run) => run.outcome)).toEqual(['rejected', 'applied']);
  });

  it('lists a held snapshot with who it would remove; accepting it on the worker changes the roster', async () => {
    fixture = ingestFixture(NOW);
    const heldId = await withHeldSnapshot(fixture);
    const before = onRoll(fixture);
    const list = heldListSchema.parse(
      await (await fixture.app.request('/api/mis/held', { headers: admin(fixture) })).json(),
    );
    expect(list.held).toHaveLength(1);
    const [held] = list.held;
    expect(held?.missing).toBeGreaterThan(before / 3);
    // Everyone it would take off the roll: those missing, and any whose leave date had not yet come.
    expect(held?.removing).toBeGreaterThanOrEqual(held?.missing ?? Infinity);
    expect(held?.names).toHaveLength(Math.min(200, held?.removing ?? -1));
    expect(held?.names[0]).toMatch(/^[\p{L}' -]+, [\p{L}' -]+$/u);

    const accepted = await post(fixture, `/api/mis/held/${String(heldId)}/accept`, admin(fixture));
    expect(accepted.status).toBe(200);
    expect(onRoll(fixture)).toBe(before - (held?.missing ?? 0));
    // And every pupil named, on roll by then, leaves at the next 02:00 run.
    const leaving = loadRoster(fixture.db, fixture.school)
      .pupils.filter((pupil) => pupil.leavingDate === '2027-03-16' && pupil.entryDate < '2027-03-16')
      .map((pupil) => `${pupil.surname}, ${pupil.forename}`);
    expect(leaving.length).toBe(held?.removing);
    expect(leaving.toSorted((a, b) => a.localeCompare(b)).slice(0, 200)).toEqual(held?.names);
    expect(auditActions(fixture)).toContain('held-accept');
    // Decided once: a second accept, or a discard, finds nothing waiting.
    expect((await post(fixture, `/api/mis/held/${String(heldId)}/accept`, admin(fixture))).status).toBe(404);
    expect((await post(fixture, `/api/mis/held/${String(heldId)}/discard`, admin(fixture))).status).toBe(404);
  });

  it('discards a held snapshot, changing nothing; refuses another school’s admin and ids that are not ids', async () => {
    fixture = ingestFixture(NOW);
    const heldId = await withHeldSnapshot(fixture);
    const before = onRoll(fixture);
    const other = createSchool(fixture.db, { name: 'Elsewhere Academy', estab: '8019999' }, fixture.now);
    const otherAdmin = {
      cookie: sessionCookie(
        fixture.db,
        makeUser(fixture.db, other.id, 'staff', ['staff', 'school-admin']),
        fixture.now,
      ),
      'content-type': 'application/json',
    };
    for (const path of [`/api/mis/held/${String(heldId)}/accept`, `/api/mis/held/${String(heldId)}/discard`])
      expect((await post(fixture, path, otherAdmin)).status).toBe(404);
    for (const id of ['0', '-1', '1e3', 'abc', '9007199254740993', `${String(heldId)}.0x`])
      expect((await post(fixture, `/api/mis/held/${id}/accept`, admin(fixture))).status).toBe(404);
    expect((await post(fixture, `/api/mis/held/${String(heldId)}/discard`, admin(fixture))).status).toBe(200);
    expect(onRoll(fixture)).toBe(before);
    expect(auditActions(fixture)).toContain('held-discard');
  });

  it('will not apply a held snapshot older than data applied since', async () => {
    fixture = ingestFixture(NOW);
    const heldId = await withHeldSnapshot(fixture);
    fixture.now = new Date(fixture.now.getTime() + 3_600_000);
    const { payload } = demoFeed();
    // A fresh full feed (one pupil's name corrected) lands after the held one.
    const students = (payload.Students ?? []) as Record<string, unknown>[];
    const changed = {
      ...payload,
      Students: [{ ...students[0], Forename: 'Corrected' }, ...students.slice(1)],
    };
    expect((await fixture.pushXporter(changed)).status).toBe(200);
    const stale = await post(fixture, `/api/mis/held/${String(heldId)}/accept`, admin(fixture));
    expect(stale.status).toBe(409);
    expect(((await stale.json()) as { message: string }).message).toMatch(/older than data applied since/);
  });

  it('issues a new ingest key once, and the old one stops working at that moment', async () => {
    fixture = ingestFixture(NOW);
    const response = await post(fixture, '/api/mis/ingest-key', admin(fixture));
    expect(response.headers.get('cache-control')).toBe('no-store');
    const { key } = ingestKeyAnswerSchema.parse(await response.json());
    expect(key).not.toBe(fixture.key);
    const body = JSON.stringify(demoFeed().payload);
    expect((await fixture.post('/api/mis/xporter', body)).status).toBe(401);
    expect((await fixture.post('/api/mis/xporter', body, 'application/json', key)).status).toBe(200);
    expect(auditActions(fixture)).toContain('ingest-key-rotated');
    // Ten admins pressing at once: each gets a key, and only the last one issued works.
    const keys = await Promise.all(
      Array.from(
        { length: 10 },
        async () =>
          ingestKeyAnswerSchema.parse(
            await (await post(fixture, '/api/mis/ingest-key', admin(fixture))).json(),
          ).key,
      ),
    );
    const working = [];
    for (const each of keys)
      if ((await fixture.post('/api/mis/xporter', body, 'application/json', each)).status === 200)
        working.push(each);
    expect(working).toEqual([keys.at(-1)]);
  });

  it('connects the XoD pull and never shows its secret; bad or huge requests save nothing', async () => {
    fixture = ingestFixture(NOW);
    const read = async () =>
      xodConnectionSchema.parse(
        await (await fixture.app.request('/api/mis/xod', { headers: admin(fixture) })).json(),
      );
    expect((await read()).connection).toBeNull();
    const good = {
      relyingParty: 'brookfield-app',
      secret: 'sesame-7f3a',
      xodEstab: '8012000',
      everyHours: 4,
    };
    for (const bad of [
      { ...good, everyHours: 0 },
      { ...good, everyHours: 25 },
      { ...good, xodEstab: '80-12' },
      { ...good, relyingParty: '   ' },
      { ...good, secret: '' },
      'not json',
    ]) {
      const refused = await post(fixture, '/api/mis/xod', admin(fixture), bad);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toMatch(/^Nothing was saved/);
    }
    const huge = await post(fixture, '/api/mis/xod', admin(fixture), {
      ...good,
      secret: 'x'.repeat(100_000),
    });
    expect(huge.status).toBe(413);
    expect((await read()).connection).toBeNull();
    expect((await post(fixture, '/api/mis/xod', admin(fixture), good)).status).toBe(200);
    const answer = await fixture.app.request('/api/mis/xod', { headers: admin(fixture) });
    const text = await answer.text();
    expect(text).not.toContain('sesame');
    expect(JSON.parse(text)).toEqual({
      connection: { xodEstab: '8012000', relyingParty: 'brookfield-app', everyHours: 4, lastPullAt: null },
    });
    expect(auditActions(fixture)).toContain('xod-connected');
  });
});
