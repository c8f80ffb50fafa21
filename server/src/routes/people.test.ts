import { peopleSchema, parentCodesSchema } from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { isLiveActivationCode } from '../auth/activation.ts';
import { createSchool } from '../db/school-store.ts';
import { demoFeed, ingestFixture, type IngestFixture } from '../../test/ingest-fixture.ts';
import { makeUser, sessionCookie } from '../../test/test-accounts.ts';

let fixture: IngestFixture;
afterEach(() => {
  fixture.cleanup();
});

const NOW = new Date('2027-03-15T09:00:00Z');

/** A school admin's headers, and their account. */
function admin(f: IngestFixture) {
  const user = makeUser(f.db, f.school.id, 'staff', ['staff', 'school-admin']);
  return { user, headers: { cookie: sessionCookie(f.db, user, f.now), 'content-type': 'application/json' } };
}
const post = (f: IngestFixture, path: string, headers: Record<string, string>, body: unknown = {}) =>
  f.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });
const people = async (f: IngestFixture, headers: Record<string, string>) =>
  peopleSchema.parse(await (await f.app.request('/api/people', { headers })).json());
const me = (f: IngestFixture, cookie: string) => f.app.request('/api/auth/me', { headers: { cookie } });

describe('People', () => {
  it('adds a staff account whose one-time code works, and refuses a duplicate or a bad role', async () => {
    fixture = ingestFixture(NOW);
    const { headers } = admin(fixture);
    const added = await post(fixture, '/api/people/staff', headers, {
      name: 'Omar Whitfield',
      email: 'o.whitfield@example.org',
      roles: ['staff', 'payments-admin'],
    });
    expect(added.status).toBe(200);
    expect(added.headers.get('cache-control')).toBe('no-store');
    const { code } = (await added.json()) as { code: string };
    expect(isLiveActivationCode(fixture.db, code, fixture.now)).toBe(true);
    const listed = await people(fixture, headers);
    expect(listed.staff.find((each) => each.email === 'o.whitfield@example.org')).toMatchObject({
      roles: ['staff', 'payments-admin'],
      activated: false,
      lastSignInAt: null,
    });
    const again = await post(fixture, '/api/people/staff', headers, {
      name: 'Someone Else',
      email: 'O.Whitfield@example.org',
      roles: ['staff'],
    });
    expect(again.status).toBe(409);
    for (const bad of [
      { name: 'A', email: 'a@example.org', roles: ['parent'] },
      { name: 'A', email: 'a@example.org', roles: [] },
      { name: ' ', email: 'a@example.org', roles: ['staff'] },
      { name: 'A', email: 'not-an-email', roles: ['staff'] },
    ])
      expect((await post(fixture, '/api/people/staff', headers, bad)).status).toBe(400);
    expect((await people(fixture, headers)).staff).toHaveLength(listed.staff.length);
  });

  it('changes roles and ends sessions so they apply at once; not for another school, nor its own admin role', async () => {
    fixture = ingestFixture(NOW);
    const { user: me_, headers } = admin(fixture);
    const teacher = makeUser(fixture.db, fixture.school.id, 'staff', ['staff']);
    const teacherCookie = sessionCookie(fixture.db, teacher, fixture.now);
    expect((await me(fixture, teacherCookie)).status).toBe(200);
    const changed = await post(fixture, `/api/people/staff/${String(teacher.id)}/roles`, headers, {
      roles: ['staff', 'payments-admin'],
    });
    expect(changed.status).toBe(200);
    expect((await me(fixture, teacherCookie)).status).toBe(401);

    const again = sessionCookie(fixture.db, teacher, fixture.now);
    const ended = await post(fixture, `/api/people/staff/${String(teacher.id)}/end-sessions`, headers);
    expect(await ended.json()).toEqual({ ended: 1 });
    expect((await me(fixture, again)).status).toBe(401);

    const refused = await post(fixture, `/api/people/staff/${String(me_.id)}/roles`, headers, {
      roles: ['staff'],
    });
    expect(refused.status).toBe(409);
    const other = createSchool(fixture.db, { name: 'Elsewhere Academy', estab: '8019999' }, fixture.now);
    const stranger = makeUser(fixture.db, other.id, 'staff', ['staff']);
    for (const path of [
      `/api/people/staff/${String(stranger.id)}/roles`,
      `/api/people/staff/${String(stranger.id)}/end-sessions`,
    ])
      expect((await post(fixture, path, headers, { roles: ['staff', 'school-admin'] })).status).toBe(404);
    for (const id of ['0', 'abc', '1e2', '-3'])
      expect((await post(fixture, `/api/people/staff/${id}/end-sessions`, headers)).status).toBe(404);
    expect(fixture.db.prepare('SELECT roles FROM users WHERE id = ?').pluck().get(stranger.id)).toBe(
      '["staff"]',
    );
  });

  it('issues parents’ codes for letters; they show as invited, and a second run replaces the first codes', async () => {
    fixture = ingestFixture(NOW);
    await fixture.pushXporter(demoFeed().payload);
    const { headers } = admin(fixture);
    const before = await people(fixture, headers);
    expect(before.parents.length).toBeGreaterThan(100);
    expect(new Set(before.parents.map((parent) => parent.state))).toEqual(new Set(['not-invited']));
    const first = parentCodesSchema.parse(
      await (await post(fixture, '/api/people/parent-codes', headers)).json(),
    );
    expect(first.codes.length).toBeGreaterThan(100);
    const invited = (await people(fixture, headers)).parents.filter((parent) => parent.state === 'invited');
    expect(invited).toHaveLength(first.codes.length);
    const second = parentCodesSchema.parse(
      await (await post(fixture, '/api/people/parent-codes', headers)).json(),
    );
    const [firstCode] = first.codes;
    expect(isLiveActivationCode(fixture.db, firstCode?.code ?? '', fixture.now)).toBe(false);
    expect(isLiveActivationCode(fixture.db, second.codes[0]?.code ?? '', fixture.now)).toBe(true);
  });
});
