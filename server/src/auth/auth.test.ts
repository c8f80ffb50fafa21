import Database from 'better-sqlite3';
import { Secret, TOTP } from 'otpauth';
import { isoDate } from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRoster } from '../db/school-store.ts';
import { ingestBatch } from '../ingest/core/ingest.ts';
import { toXporterPayload } from '../ingest/xporter/demo-feed.ts';
import { parseXporter } from '../ingest/xporter/parse.ts';
import { issueActivationCode } from './activation.ts';
import { verifyAudit } from './audit.ts';
import { authFixture, cookieFrom, PASSWORD, type AuthFixture } from '../../test/auth-fixture.ts';
import { DEFAULT_IDENTITY } from './settings.ts';
import { userById } from './users.ts';

let fixture: AuthFixture;
afterEach(() => {
  fixture.cleanup();
});

const minutes = (n: number): number => n * 60_000;
const body = async (response: Response): Promise<Record<string, unknown>> =>
  (await response.json()) as Record<string, unknown>;

describe('signing in', () => {
  it('sets a __Host- cookie: HttpOnly, Secure, SameSite=Lax, path /, no domain', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const response = await fixture.signIn(teacher.email);
    expect(response.status).toBe(200);
    const header = response.headers.get('set-cookie') ?? '';
    expect(header).toMatch(/^__Host-sp_session=[\w-]{43};/);
    expect(header).toContain('Path=/');
    expect(header).toContain('HttpOnly');
    expect(header).toContain('Secure');
    expect(header).toContain('SameSite=Lax');
    expect(header).not.toMatch(/Domain=/i);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('gives the cookie a lifetime, not a date, and tells the PWA the server’s time beside the session’s end', async () => {
    // A browser whose clock is wrong (or a server running as of another date) would otherwise
    // drop the cookie at once or keep it too long.
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const response = await fixture.signIn(teacher.email);
    const header = response.headers.get('set-cookie') ?? '';
    expect(header).toContain(`Max-Age=${DEFAULT_IDENTITY.staffAbsoluteHours * 3600}`);
    expect(header).not.toMatch(/Expires=/i);
    const me = await body(await fixture.get('/api/auth/me', cookieFrom(response)));
    expect(me['serverNow']).toBe(fixture.now.toISOString());
    expect(Date.parse(String(me['sessionExpiresAt'])) - fixture.now.getTime()).toBe(
      DEFAULT_IDENTITY.staffAbsoluteHours * 3_600_000,
    );
  });

  it('stores only a hash of the session id, and gives a new id at every sign-in', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const first = cookieFrom(await fixture.signIn(teacher.email));
    const stored = fixture.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(stored.map((row) => row.id_hash)).not.toContain(first.split('=')[1]);
    const second = cookieFrom(
      await fixture.app.request('http://localhost/api/auth/sign-in', {
        method: 'POST',
        body: JSON.stringify({ email: teacher.email, password: PASSWORD }),
        headers: { 'content-type': 'application/json', cookie: first },
      }),
    );
    expect(second).not.toBe(first);
    expect((await fixture.get('/api/auth/me', first)).status).toBe(401);
    expect((await fixture.get('/api/auth/me', second)).status).toBe(200);
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const unknown = await fixture.signIn('nobody@example.org');
    const wrong = await fixture.signIn(teacher.email, 'not the password at all');
    expect(unknown.status).toBe(wrong.status);
    expect(await body(unknown)).toEqual(await body(wrong));
  });

  it('stores passwords as Argon2id with m=19 MiB, t=2, p=1', async () => {
    fixture = authFixture();
    const parent = await fixture.addUser('parent', ['parent']);
    const code = issueActivationCode(fixture.db, parent, fixture.now, DEFAULT_IDENTITY);
    expect(
      (await fixture.post('/api/auth/activate', { code, password: 'a new long passphrase' })).status,
    ).toBe(200);
    expect(userById(fixture.db, parent.id)?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('session expiry, by the server’s clock', () => {
  it('ends a staff session after 30 idle minutes, and at its absolute end however active', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const cookie = cookieFrom(await fixture.signIn(teacher.email));
    const start = fixture.now.getTime();
    fixture.now = new Date(start + minutes(29));
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(200);
    fixture.now = new Date(start + minutes(29 + 31));
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(401);

    const active = cookieFrom(await fixture.signIn(teacher.email));
    const again = fixture.now.getTime();
    for (let elapsed = 20; elapsed < 12 * 60; elapsed += 20) {
      fixture.now = new Date(again + minutes(elapsed));
      expect((await fixture.get('/api/auth/me', active)).status).toBe(200);
    }
    fixture.now = new Date(again + minutes(12 * 60));
    expect((await fixture.get('/api/auth/me', active)).status).toBe(401);
  });

  it('keeps a parent signed in for 30 idle days, not 31', async () => {
    fixture = authFixture();
    const parent = await fixture.addUser('parent', ['parent']);
    const cookie = cookieFrom(await fixture.signIn(parent.email));
    const start = fixture.now.getTime();
    fixture.now = new Date(start + minutes(29 * 24 * 60));
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(200);
    fixture.now = new Date(fixture.now.getTime() + minutes(31 * 24 * 60));
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(401);
  });

  it('lists a person’s sessions and ends all of them', async () => {
    fixture = authFixture();
    const parent = await fixture.addUser('parent', ['parent']);
    const phone = cookieFrom(await fixture.signIn(parent.email));
    const tablet = cookieFrom(await fixture.signIn(parent.email));
    const list = (await body(await fixture.get('/api/auth/sessions', phone))).sessions as {
      isCurrent: boolean;
    }[];
    expect(list).toHaveLength(2);
    expect(list.filter((session) => session.isCurrent)).toHaveLength(1);
    expect(await body(await fixture.post('/api/auth/sessions/end-all', {}, phone))).toEqual({ ended: 2 });
    expect((await fixture.get('/api/auth/me', tablet)).status).toBe(401);
  });
});

describe('cross-site requests', () => {
  const kinds: [string, Record<string, string>, string][] = [
    ['no content type', {}, ''],
    ['text/plain', { 'content-type': 'text/plain' }, '{"email":"a"}'],
    ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'email=a'],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--x--'],
    ['JSON', { 'content-type': 'application/json' }, '{}'],
  ];
  for (const [name, headers, payload] of kinds) {
    it(`are refused with ${name}, by Origin and by Sec-Fetch-Site`, async () => {
      fixture = authFixture();
      const teacher = await fixture.addUser('staff', ['staff']);
      const cookie = cookieFrom(await fixture.signIn(teacher.email));
      const origins: Record<string, string>[] = [
        { origin: 'https://evil.example' },
        { 'sec-fetch-site': 'cross-site' },
      ];
      for (const from of origins) {
        const response = await fixture.app.request('http://localhost/api/auth/sessions/end-all', {
          method: 'POST',
          body: payload,
          headers: { ...headers, ...from, cookie },
        });
        expect(response.status).toBe(403);
        expect(await body(response)).toMatchObject({ error: 'cross-site' });
      }
      expect((await fixture.get('/api/auth/me', cookie)).status).toBe(200);
    });
  }

  it('still need JSON from our own pages', async () => {
    fixture = authFixture();
    const response = await fixture.app.request('http://localhost/api/auth/sign-in', {
      method: 'POST',
      body: 'email=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
    });
    expect(response.status).toBe(415);
  });
});

describe('rate limits', () => {
  it('slow an account after five failures with 429 and Retry-After, and let the real person in after the wait', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    for (let attempt = 0; attempt < 5; attempt++)
      expect((await fixture.signIn(teacher.email, 'wrong password!')).status).toBe(401);
    const limited = await fixture.signIn(teacher.email);
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    fixture.now = new Date(fixture.now.getTime() + wait * 1000 + 1000);
    expect((await fixture.signIn(teacher.email)).status).toBe(200);
  });

  it('slow an address trying many accounts', async () => {
    fixture = authFixture();
    for (let attempt = 0; attempt < 100; attempt++)
      await fixture.signIn(`guess${attempt}@example.org`, 'wrong password!');
    const teacher = await fixture.addUser('staff', ['staff']);
    expect((await fixture.signIn(teacher.email)).status).toBe(429);
  });

  it('limit guesses at activation codes', async () => {
    fixture = authFixture();
    for (let attempt = 0; attempt < 100; attempt++) {
      await fixture.post('/api/auth/activate', {
        code: `AAAA-BBBB-CCCC-${String(attempt).padStart(4, '0')}`,
        password: 'a long new password',
      });
    }
    expect(
      (
        await fixture.post('/api/auth/activate', {
          code: 'AAAA-BBBB-CCCC-DDDD',
          password: 'a long new password',
        })
      ).status,
    ).toBe(429);
  });
});

describe('activation codes', () => {
  it('work once, expire after 30 days, and refuse a weak or common password without being used up', async () => {
    fixture = authFixture();
    const parent = await fixture.addUser('parent', ['parent']);
    const code = issueActivationCode(fixture.db, parent, fixture.now, DEFAULT_IDENTITY);
    expect(await body(await fixture.post('/api/auth/activate', { code, password: 'short' }))).toMatchObject({
      error: 'weak-password',
    });
    expect(
      await body(await fixture.post('/api/auth/activate', { code, password: 'password123' })),
    ).toMatchObject({ error: 'weak-password' });
    expect(
      (
        await fixture.post('/api/auth/activate', {
          code: code.toLowerCase(),
          password: 'a long new password',
        })
      ).status,
    ).toBe(200);
    expect(
      await body(await fixture.post('/api/auth/activate', { code, password: 'another long password' })),
    ).toMatchObject({ error: 'invalid-code' });
    expect((await fixture.signIn(parent.email, 'a long new password')).status).toBe(200);

    const late = issueActivationCode(fixture.db, parent, fixture.now, DEFAULT_IDENTITY);
    fixture.now = new Date(fixture.now.getTime() + 31 * 24 * 3_600_000);
    expect(
      await body(await fixture.post('/api/auth/activate', { code: late, password: 'a long new password' })),
    ).toMatchObject({ error: 'invalid-code' });
  });
});

describe('the second factor', () => {
  it('is required of admins: set up at first sign-in, then asked for; recovery codes work once', async () => {
    fixture = authFixture();
    fixture.db.prepare('UPDATE schools SET require_admin_mfa = 1').run();
    const admin = await fixture.addUser('staff', ['staff', 'payments-admin']);
    const first = await fixture.signIn(admin.email);
    expect(await body(first)).toMatchObject({ status: 'mfa-setup-required' });
    const cookie = cookieFrom(first);
    expect(await body(await fixture.get('/api/school/summary', cookie))).toMatchObject({
      error: 'mfa-setup-required',
    });
    const { secret } = (await body(await fixture.post('/api/auth/totp/setup', {}, cookie))) as {
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    const code = (): string => totp.generate({ timestamp: fixture.now.getTime() });
    const enabled = (await body(await fixture.post('/api/auth/totp/enable', { code: code() }, cookie))) as {
      recoveryCodes: string[];
    };
    expect(enabled.recoveryCodes).toHaveLength(10);
    expect((await fixture.get('/api/school/summary', cookie)).status).toBe(200);

    // The code that turned the factor on is used up; the next one comes 30 seconds later.
    expect(await body(await fixture.signIn(admin.email, PASSWORD, { totp: code() }))).toMatchObject({
      error: 'invalid-totp',
    });
    fixture.now = new Date(fixture.now.getTime() + 30_000);
    expect(await body(await fixture.signIn(admin.email))).toMatchObject({ error: 'totp-required' });
    expect(await body(await fixture.signIn(admin.email, PASSWORD, { totp: '000000' }))).toMatchObject({
      error: 'invalid-totp',
    });
    const fresh = code();
    expect((await fixture.signIn(admin.email, PASSWORD, { totp: fresh })).status).toBe(200);
    // Seen over a shoulder, the same code does not work twice.
    expect(await body(await fixture.signIn(admin.email, PASSWORD, { totp: fresh }))).toMatchObject({
      error: 'invalid-totp',
    });
    const [recovery] = enabled.recoveryCodes;
    expect((await fixture.signIn(admin.email, PASSWORD, { totp: recovery ?? '' })).status).toBe(200);
    expect((await fixture.signIn(admin.email, PASSWORD, { totp: recovery ?? '' })).status).toBe(401);
  });

  it('checks codes against real time when the server runs as of another date', async () => {
    // SCHOOLPING_CLOCK moves the school's calendar; the phone making the codes keeps real time.
    const real = new Date('2026-12-01T10:00:00Z');
    fixture = authFixture(new Date('2027-07-24T09:00:00+01:00'), { authenticatorClock: () => real });
    fixture.db.prepare('UPDATE schools SET require_admin_mfa = 1').run();
    const admin = await fixture.addUser('staff', ['staff', 'school-admin']);
    const cookie = cookieFrom(await fixture.signIn(admin.email));
    const { secret } = (await body(await fixture.post('/api/auth/totp/setup', {}, cookie))) as {
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    const atServerTime = totp.generate({ timestamp: fixture.now.getTime() });
    expect(
      await body(await fixture.post('/api/auth/totp/enable', { code: atServerTime }, cookie)),
    ).toMatchObject({
      error: 'invalid-totp',
    });
    const atRealTime = totp.generate({ timestamp: real.getTime() });
    expect((await fixture.post('/api/auth/totp/enable', { code: atRealTime }, cookie)).status).toBe(200);
    real.setTime(real.getTime() + 30_000);
    const next = totp.generate({ timestamp: real.getTime() });
    expect((await fixture.signIn(admin.email, PASSWORD, { totp: next })).status).toBe(200);
  });

  it('is not required when the school turns it off', async () => {
    fixture = authFixture();
    fixture.db.prepare('UPDATE schools SET require_admin_mfa = 0').run();
    const admin = await fixture.addUser('staff', ['staff', 'school-admin']);
    expect(await body(await fixture.signIn(admin.email))).toMatchObject({ status: 'signed-in' });
  });
});

describe('leavers', () => {
  it('a parent whose children have all left reads for 30 days, changes nothing, then cannot sign in', async () => {
    fixture = authFixture();
    const { mis_id: contactId } = fixture.db
      .prepare("SELECT mis_id FROM mis_records WHERE kind = 'contact' LIMIT 1")
      .get() as { mis_id: string };
    const parent = await fixture.addUser('parent', ['parent'], { misId: contactId });
    fixture.db
      .prepare(
        "INSERT INTO roster_state (school_id, kind, mis_id, status) VALUES (?, 'contact', ?, 'leaver') ON CONFLICT (school_id, kind, mis_id) DO UPDATE SET status = 'leaver'",
      )
      .run(fixture.school.id, contactId);
    fixture.db
      .prepare(
        "INSERT INTO change_log (school_id, day, recorded_at, change, kind, mis_id, detail) VALUES (?, '2026-11-10', 'now', 'left', 'contact', ?, '{}')",
      )
      .run(fixture.school.id, contactId);
    const cookie = cookieFrom(await fixture.signIn(parent.email));
    expect(await body(await fixture.get('/api/auth/me', cookie))).toMatchObject({ isReadOnly: true });
    expect(await body(await fixture.post('/api/auth/totp/setup', {}, cookie))).toMatchObject({
      error: 'read-only',
    });
    fixture.now = new Date('2026-12-11T10:00:00Z');
    expect(await body(await fixture.signIn(parent.email))).toMatchObject({ error: 'parent-left' });
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(401);
  });

  it('a member of staff who leaves in the MIS loses access at once, every session ended', async () => {
    fixture = authFixture();
    const [member] = fixture.db
      .prepare(
        "SELECT mis_id FROM mis_records WHERE kind = 'staff' AND json_extract(data, '$.leavingDate') IS NULL",
      )
      .all() as { mis_id: string }[];
    if (!member) throw new Error('the demo has staff');
    const teacher = await fixture.addUser('staff', ['staff'], { misId: member.mis_id });
    const cookie = cookieFrom(await fixture.signIn(teacher.email));
    fixture.db
      .prepare(
        "UPDATE mis_records SET data = json_set(data, '$.leavingDate', '2026-11-10') WHERE kind = 'staff' AND mis_id = ?",
      )
      .run(member.mis_id);
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(401);
    expect(
      fixture.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(teacher.id),
    ).toEqual({ n: 0 });
    expect(await body(await fixture.signIn(teacher.email))).toMatchObject({ error: 'staff-left' });
  });
});

describe('the audit log', () => {
  it('verifies, then fails after one byte of one row is changed, or a row removed', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const cookie = cookieFrom(await fixture.signIn(teacher.email));
    await fixture.signIn(teacher.email, 'wrong password!');
    await fixture.get('/api/mis/status', cookie);
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: true });
    const rows = fixture.db.prepare('SELECT id, action, detail FROM audit_log ORDER BY id').all() as {
      id: number;
      action: string;
      detail: string;
    }[];
    expect(rows.map((row) => row.action)).toEqual(
      expect.arrayContaining(['sign-in', 'sign-in-failed', 'denied']),
    );
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    expect(() => fixture.db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);

    const file = fixture.db.name;
    const raw = new Database(file);
    raw.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    const target = rows[1];
    if (!target) throw new Error('the log has rows');
    raw
      .prepare('UPDATE audit_log SET action = ? WHERE id = ?')
      .run(`${target.action.slice(0, -1)}X`, target.id);
    raw.close();
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: false, rowId: target.id });

    const removed = new Database(file);
    removed.prepare('UPDATE audit_log SET action = ? WHERE id = ?').run(target.action, target.id);
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: true });
    removed.prepare('DELETE FROM audit_log WHERE id = ?').run(target.id);
    removed.close();
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: false });
  });

  it('notices rows cut off the end, which the chain alone cannot', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    await fixture.signIn(teacher.email);
    await fixture.signIn(teacher.email, 'wrong password!');
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: true });
    const raw = new Database(fixture.db.name);
    raw.exec('DROP TRIGGER audit_log_no_delete;');
    raw.prepare('DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)').run();
    raw.close();
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: false });
  });
});

describe('security headers', () => {
  it('are on every response: a strict CSP, nosniff, no referrer; HSTS only over TLS', async () => {
    fixture = authFixture();
    for (const response of [
      await fixture.get('/api/health'),
      await fixture.get('/api/auth/me'),
      await fixture.get('/nowhere'),
    ]) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self'( 'sha256-[^']+')*;/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
    const overTls = await fixture.app.request('https://localhost/api/health');
    expect(overTls.headers.get('strict-transport-security')).toContain('max-age=');
  });
});

describe('replacing the second factor', () => {
  it('needs a current code, and a started setup never turns the working factor off', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const cookie = cookieFrom(await fixture.signIn(teacher.email));
    const { secret } = (await body(await fixture.post('/api/auth/totp/setup', {}, cookie))) as {
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    await fixture.post(
      '/api/auth/totp/enable',
      { code: totp.generate({ timestamp: fixture.now.getTime() }) },
      cookie,
    );
    fixture.now = new Date(fixture.now.getTime() + 30_000);
    expect(await body(await fixture.post('/api/auth/totp/setup', {}, cookie))).toMatchObject({
      error: 'totp-required',
    });
    expect((await fixture.signIn(teacher.email)).status).toBe(401);
    const next = (await body(
      await fixture.post(
        '/api/auth/totp/setup',
        { code: totp.generate({ timestamp: fixture.now.getTime() }) },
        cookie,
      ),
    )) as { secret: string };
    expect(next.secret).not.toBe(secret);
    // Until the new app proves itself, the old one is still the factor.
    fixture.now = new Date(fixture.now.getTime() + 30_000);
    expect(
      (
        await fixture.signIn(teacher.email, PASSWORD, {
          totp: totp.generate({ timestamp: fixture.now.getTime() }),
        })
      ).status,
    ).toBe(200);
  });
});

describe('staff leaving, through an ingest', () => {
  it('ends their sessions when the feed says they have left', async () => {
    fixture = authFixture();
    const rows = fixture.db.prepare("SELECT mis_id, data FROM mis_records WHERE kind = 'staff'").all() as {
      mis_id: string;
      data: string;
    }[];
    const [member] = rows;
    if (!member) throw new Error('the demo has staff');
    const teacher = await fixture.addUser('staff', ['staff'], { misId: member.mis_id });
    cookieFrom(await fixture.signIn(teacher.email));
    const mis = loadRoster(fixture.db, fixture.school);
    const staff = mis.staff.map((each) =>
      each.id === member.mis_id ? { ...each, leavingDate: isoDate('2026-11-10') } : each,
    );
    const parsed = parseXporter(toXporterPayload({ ...mis, staff }));
    if (!parsed.ok) throw new Error('the demo feed is valid');
    ingestBatch(fixture.db, fixture.school, parsed.batch, 'xporter', fixture.now);
    expect(
      fixture.db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(teacher.id),
    ).toEqual({ n: 0 });
  });
});
