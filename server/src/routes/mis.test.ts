import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tonightSchema } from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRoster } from '../db/school-store.ts';
import { demoFeed, ingestFixture, type IngestFixture } from '../../test/ingest-fixture.ts';
import { acceptHeld } from '../ingest/core/held.ts';
import { rotateIngestKey } from '../ingest/core/keys.ts';

let fixture: IngestFixture;
afterEach(() => {
  fixture.cleanup();
});

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'xporter');
function recorded(file: string): Record<string, unknown> {
  return (JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as { response: Record<string, unknown> })
    .response;
}

const storedCount = (f: IngestFixture): number =>
  (f.db.prepare('SELECT count(*) AS n FROM mis_records').get() as { n: number }).n;

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

describe('POST /api/mis/xporter', () => {
  it('takes every recorded XoD sample record', async () => {
    fixture = ingestFixture(new Date('2018-06-20T10:00:00Z'), '8232999');
    const students = [recorded('students_1.json'), recorded('students_2.json')].flatMap(
      (page) => page.Students as unknown[],
    );
    const payload = {
      SchoolInfo: recorded('school_info.json').SchoolInfo,
      Students: students,
      Group: recorded('groups.json').Group,
      StudentMembers: [],
      Staff: recorded('staff.json').Staff,
      meta: recorded('students_1.json').meta,
      __pagination__: recorded('students_1.json').__pagination__,
    };
    const response = await fixture.pushXporter(payload);
    expect(response.status).toBe(200);
    const roster = loadRoster(fixture.db, fixture.school);
    expect(roster.pupils.map((p) => `${p.forename} ${p.surname}`)).toEqual([
      'Albus Dumbledore',
      'Harry Potter',
      // Groupcall's test school really does record them so.
      'Hermione Potter',
      'Draco Potter',
    ]);
    expect(roster.pupils[0]).toMatchObject({
      id: '3116',
      dateOfBirth: '2009-01-12',
      entryDate: '2012-09-01',
      leavingDate: null,
    });
    expect(roster.groups.find((g) => g.id === '31')).toEqual({ id: '31', name: 'Year  1', kind: 'year' });
    // Year and class named only on the student records are kept too.
    expect(roster.groups.find((g) => g.id === '188')).toMatchObject({ name: '4ES', kind: 'registration' });
    expect(roster.staff.map((s) => s.forename)).toEqual(['Rebecca', 'Valerie']);

    // The single-student answer, sent as a changeset: the same record, so nothing changes.
    const single = await fixture.pushXporter({
      Students: recorded('student.json').Students,
      __changedRows__: [{}],
    });
    expect(await json(single)).toMatchObject({ counts: { added: 0, updated: 0, left: 0 } });

    // The recorded changeset: its deletions apply; its stub rows are completed from the full records.
    const delta = recorded('students_3.json');
    const stubs = delta.Students as { Id: string }[];
    const full = stubs.map((stub) => students.find((s) => (s as { Id: string }).Id === stub.Id));
    // It drops two of the four pupils: a changeset is held by the same 10% rule as a snapshot.
    const held = await fixture.pushXporter({ ...delta, Students: full });
    expect(held.status).toBe(202);
    const outcome = acceptHeld(fixture.db, (await json(held)).heldId as number, fixture.now);
    expect(outcome).toMatchObject({ outcome: 'applied', byKind: { pupil: { left: 2, updated: 0 } } });
  });

  it('refuses the recorded changeset as it stands, pointing at each missing field, and changes nothing', async () => {
    fixture = ingestFixture();
    const response = await fixture.pushXporter(recorded('students_3.json'));
    expect(response.status).toBe(422);
    const body = await json(response);
    expect(body.errors).toContainEqual({
      where: '/Students/0/Forename',
      code: 'missing-field',
      message: 'This field is required.',
    });
    expect(body.errors).toContainEqual(expect.objectContaining({ where: '/Students/1/EntryDate' }));
    expect(storedCount(fixture)).toBe(0);
  });

  it('lists every error with its JSON pointer and applies none of the good records', async () => {
    fixture = ingestFixture();
    const { payload } = demoFeed();
    const students = payload.Students as Record<string, unknown>[];
    const broken = [...students];
    broken[3] = { ...students[3], EntryDate: '2026-13-45' };
    broken[7] = { ...students[7], Id: students[2]?.Id };
    const links = [...(payload.StudentContacts as Record<string, unknown>[])];
    links[0] = { ...links[0], ContactId: 'nobody' };
    const response = await fixture.pushXporter({ ...payload, Students: broken, StudentContacts: links });
    expect(response.status).toBe(422);
    const errors = (await json(response)).errors as { where: string; code: string }[];
    expect(errors.map((e) => [e.where, e.code])).toEqual(
      expect.arrayContaining([
        ['/Students/3/EntryDate', 'invalid-value'],
        ['/Students/7/Id', 'duplicate-id'],
        ['/StudentContacts/0/ContactId', 'unknown-reference'],
      ]),
    );
    expect(storedCount(fixture)).toBe(0);
  });

  it('records warnings that do not block: wrong UPN check letter, a contact who cannot be reached, a duplicate contact', async () => {
    fixture = ingestFixture();
    const { payload } = demoFeed();
    const students = (payload.Students as Record<string, unknown>[]).map((s, i) =>
      i === 0 ? { ...s, UPN: 'A801200005001' } : s,
    );
    const contacts = payload.Contacts as Record<string, unknown>[];
    const [first, second] = contacts;
    const edited = [
      { ...first, HomeEmail: null, WorkEmail: null, MobilePhone: null },
      { ...second },
      { ...second, Id: 'dup-1' },
      ...contacts.slice(2),
    ];
    const response = await fixture.pushXporter({ ...payload, Students: students, Contacts: edited });
    expect(response.status).toBe(200);
    const warnings = (await json(response)).warnings as { where: string; code: string }[];
    expect(warnings.map((w) => w.code)).toEqual(
      expect.arrayContaining(['upn-check-letter', 'contact-unreachable', 'duplicate-contact']),
    );
    expect(warnings).toContainEqual(expect.objectContaining({ where: '/Students/0/UPN' }));
  });

  it('answers hostile input with a clear error at bounded cost', async () => {
    fixture = ingestFixture();
    const deep = await fixture.post('/api/mis/xporter', '['.repeat(200_000) + ']'.repeat(200_000));
    expect(deep.status).toBeGreaterThanOrEqual(400);
    expect(deep.status).toBeLessThan(500);
    const notJson = await fixture.post('/api/mis/xporter', '{"Students": [', 'application/json');
    expect(notJson.status).toBe(400);
    const wrongTypes = await fixture.pushXporter({ Students: 'all of them', Contacts: 7 });
    expect(await json(wrongTypes)).toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ where: '/Students', code: 'not-a-list' }),
      ]) as unknown,
    });
    const nestedRecord = await fixture.pushXporter({ Students: [{ Id: { a: { b: { c: [] } } } }] });
    expect(nestedRecord.status).toBe(422);
    const huge = await fixture.post('/api/mis/xporter', `"${'x'.repeat(33 * 1024 * 1024)}"`);
    expect(huge.status).toBe(413);
    const plain = await fixture.post('/api/mis/xporter', '{}', 'text/plain');
    expect(plain.status).toBe(415);
    expect(storedCount(fixture)).toBe(0);
  });

  it('needs the school’s current ingest key, and a feed for that school', async () => {
    fixture = ingestFixture();
    const { payload } = demoFeed();
    const body = JSON.stringify(payload);
    expect((await fixture.post('/api/mis/xporter', body, 'application/json', 'spi_wrong')).status).toBe(401);
    const fresh = rotateIngestKey(fixture.db, fixture.school.id, fixture.now);
    expect((await fixture.post('/api/mis/xporter', body, 'application/json', fixture.key)).status).toBe(401);
    expect((await fixture.post('/api/mis/xporter', body, 'application/json', fresh)).status).toBe(200);
    const otherSchool = { ...payload, SchoolInfo: [{ Id: '1', Name: 'Elsewhere', EstabId: '9999999' }] };
    const refused = await fixture.post(
      '/api/mis/xporter',
      JSON.stringify(otherSchool),
      'application/json',
      fresh,
    );
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({ error: 'wrong-school' });
  });
});

describe('GET /api/mis/status', () => {
  it('answers school admins only', async () => {
    fixture = ingestFixture();
    expect((await fixture.app.request('/api/mis/status')).status).toBe(401);
    expect((await fixture.app.request('/api/mis/status', { headers: fixture.as(['staff']) })).status).toBe(
      403,
    );
    expect(
      (await fixture.app.request('/api/mis/status', { headers: fixture.as(['school-admin']) })).status,
    ).toBe(200);
  });

  it('is ok after a good sync, late after 26 hours, failing after a refused feed, with the seed’s advice', async () => {
    fixture = ingestFixture(new Date('2026-11-10T06:00:00Z'));
    const status = async (): Promise<Record<string, unknown>> =>
      json(await fixture.app.request('/api/mis/status', { headers: fixture.as(['school-admin']) }));
    expect(await status()).toMatchObject({ status: 'late', lastGoodSync: null });
    await fixture.pushXporter(demoFeed().payload);
    expect(await status()).toMatchObject({
      status: 'ok',
      likelyCauses: [],
      lastGoodSync: '2026-11-10T06:00:00.000Z',
    });
    fixture.now = new Date('2026-11-11T08:01:00Z');
    const late = await status();
    expect(late).toMatchObject({ status: 'late', nextExpectedBy: '2026-11-11T06:00:00.000Z' });
    expect(late.likelyCauses).toContain('Your MIS server has been shut down.');
    expect(late.nextSteps).toEqual(expect.arrayContaining([expect.stringContaining('Groupcall Support')]));
    fixture.now = new Date('2026-11-11T09:00:00Z');
    await fixture.pushXporter({ Students: 'broken' });
    expect(await status()).toMatchObject({ status: 'failing' });
  });
});

describe('GET /api/year-end/leavers', () => {
  it('lists leavers with each contact’s expected and applied status, flagging a mismatch', async () => {
    fixture = ingestFixture(new Date('2026-11-10T10:00:00Z'));
    const { mis, payload } = demoFeed();
    await fixture.pushXporter(payload);
    const date = '2026-11-10';
    const response = await fixture.app.request(`/api/year-end/leavers?date=${date}`, {
      headers: fixture.as(['staff']),
    });
    expect(response.status).toBe(200);
    const report = (await json(response)) as {
      pupils: { misId: string; contacts: unknown[] }[];
      flagged: number;
    };
    const expected = mis.pupils
      .filter((p) => p.leavingDate !== null && p.leavingDate <= date)
      .map((p) => p.id);
    expect(report.pupils.map((p) => p.misId).sort()).toEqual(expected.sort());
    expect(report.flagged).toBe(0);
    const bad = await fixture.app.request('/api/year-end/leavers?date=yesterday', {
      headers: fixture.as(['staff']),
    });
    expect(bad.status).toBe(400);
  });
});

describe('GET /api/year-end/tonight', () => {
  it('says what the next 02:00 run will change, worked out once until the roster moves on', async () => {
    fixture = ingestFixture(new Date('2027-07-22T15:00:00Z'));
    const { payload } = demoFeed();
    await fixture.pushXporter(payload);
    const ask = async () => {
      const response = await fixture.app.request('/api/year-end/tonight', { headers: fixture.as(['staff']) });
      expect(response.status).toBe(200);
      return tonightSchema.parse(await response.json());
    };
    const first = await ask();
    // 02:00 London on the leave date, when year 6 leave.
    expect(first.runAt).toBe('2027-07-23T01:00:00.000Z');
    expect(first.computedAt).toBe('2027-07-22T15:00:00.000Z');
    expect(
      first.changes.filter((each) => each.kind === 'pupil' && each.change === 'left').length,
    ).toBeGreaterThan(20);
    expect(
      first.changes.some(
        (each) => each.change === 'left' && each.kind === 'pupil' && each.detail.name === 'Poppy Daley',
      ),
    ).toBe(true);
    // Nothing was recorded: the preview rolled back.
    const recorded = fixture.db
      .prepare("SELECT count(*) FROM change_log WHERE day = '2027-07-23'")
      .pluck()
      .get();
    expect(recorded).toBe(0);
    // Asked again later with nothing new: the same answer, from when it was worked out.
    fixture.now = new Date('2027-07-22T16:00:00Z');
    expect(await ask()).toEqual(first);
    // The same feed again changes nothing: still the same answer.
    await fixture.pushXporter(payload);
    expect(await ask()).toEqual(first);
    // Once that run is past, the next night's is worked out.
    fixture.now = new Date('2027-07-23T09:00:00Z');
    const next = await ask();
    expect(next).toMatchObject({ runAt: '2027-07-24T01:00:00.000Z', computedAt: '2027-07-23T09:00:00.000Z' });
    const parent = await fixture.app.request('/api/year-end/tonight', { headers: fixture.as(['parent']) });
    expect(parent.status).toBe(403);
  });
});
