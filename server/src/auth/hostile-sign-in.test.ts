import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { issueActivationCode } from './activation.ts';
import { verifyAudit } from './audit.ts';
import { authFixture, cookieFrom, type AuthFixture } from '../../test/auth-fixture.ts';
import { argon2Queue } from './passwords.ts';
import { DEFAULT_IDENTITY } from './settings.ts';
import { userById } from './users.ts';

/*
 * Sign-in and its neighbours, attacked the way an attacker would: many requests at once, forged
 * headers, a stolen session guessing codes.
 */

let fixture: AuthFixture;
afterEach(() => {
  fixture.cleanup();
});

const statuses = (responses: readonly Response[]): Record<number, number> => {
  const counts: Record<number, number> = {};
  for (const response of responses) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
};

const auditCount = (action: string): number =>
  (fixture.db.prepare('SELECT count(*) AS n FROM audit_log WHERE action = ?').get(action) as { n: number }).n;

describe('guesses sent all at once', () => {
  it('let no more than the per-account limit reach the password check', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const before = argon2Queue.started;
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => fixture.signIn(teacher.email, `wrong guess ${i}`)),
    );
    const counts = statuses(responses);
    expect(counts[401]).toBe(5);
    expect(counts[429]).toBe(55);
    expect(argon2Queue.started - before).toBe(5);
  });

  it('let no more than the limit try one activation code', async () => {
    fixture = authFixture();
    const responses = await Promise.all(
      Array.from({ length: 60 }, () =>
        fixture.post('/api/auth/activate', { code: 'ABCD-EFGH-JKLM', password: 'a long new password' }),
      ),
    );
    const counts = statuses(responses);
    expect(counts[400]).toBe(5);
    expect(counts[429]).toBe(55);
  });

  it('answer a flood of sign-ins with 503 at once instead of queueing Argon2 without end', async () => {
    fixture = authFixture();
    const before = argon2Queue.started;
    // Different accounts, so only the work queue stands in the way.
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => fixture.signIn(`nobody${i}@example.org`, 'not the password')),
    );
    const counts = statuses(responses);
    const checked = argon2Queue.concurrency + argon2Queue.maxWaiting;
    expect(counts[401]).toBe(checked);
    expect(counts[503]).toBe(60 - checked);
    expect(argon2Queue.started - before).toBe(checked);
    const busy = responses.find((response) => response.status === 503);
    expect(busy?.headers.get('retry-after')).toBe('1');
    // The refused ones were not counted against anybody: the address can still sign in.
    expect((await fixture.signIn('nobody0@example.org', 'again')).status).toBe(401);
  });
});

describe('activation', () => {
  it('checks the code before spending a password hash on it', async () => {
    fixture = authFixture();
    const before = argon2Queue.started;
    const response = await fixture.post('/api/auth/activate', {
      code: 'WXYZ-WXYZ-WXYZ',
      password: 'a long new password',
    });
    expect(response.status).toBe(400);
    expect(argon2Queue.started).toBe(before);
  });

  it('still activates with a good code, once', async () => {
    fixture = authFixture();
    const parent = await fixture.addUser('parent', ['parent']);
    const code = issueActivationCode(fixture.db, parent, fixture.now, DEFAULT_IDENTITY);
    const [first, second] = await Promise.all([
      fixture.post('/api/auth/activate', { code, password: 'a brand new password 1' }),
      fixture.post('/api/auth/activate', { code, password: 'a brand new password 2' }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 400]);
  });
});

describe('behind a reverse proxy', () => {
  const guesses = async (
    count: number,
    header: (i: number) => string,
    peer = '127.0.0.1',
  ): Promise<Response[]> => {
    const responses: Response[] = [];
    // In batches the Argon2 queue takes whole, so only the rate limits decide.
    for (let start = 0; start < count; start += 10) {
      const batch = Array.from({ length: Math.min(10, count - start) }, (_, j) => {
        const i = start + j;
        return Promise.resolve(
          fixture.app.request(
            'http://localhost/api/auth/sign-in',
            {
              method: 'POST',
              body: JSON.stringify({ email: `guess${i}@example.org`, password: 'not it at all' }),
              headers: {
                'content-type': 'application/json',
                origin: 'http://localhost',
                'x-forwarded-for': header(i),
              },
            },
            // As the Node adapter passes it: the socket's peer is our proxy, on this machine.
            { incoming: { socket: { remoteAddress: peer } } },
          ),
        );
      });
      responses.push(...(await Promise.all(batch)));
    }
    return responses;
  };

  it('limits the address the proxy saw, whatever the client wrote before it', async () => {
    fixture = authFixture(undefined, { trustedProxies: 1 });
    const responses = await guesses(130, (i) => `10.9.${i >> 8}.${i & 255}, 198.51.100.7`);
    expect(statuses(responses)[429]).toBe(30);
  });

  it('keeps clients the proxy tells apart apart: a school behind one proxy is not one address', async () => {
    fixture = authFixture(undefined, { trustedProxies: 1 });
    const responses = await guesses(130, (i) => `198.51.100.7, 203.0.${i >> 8}.${i & 255}`);
    expect(statuses(responses)[429]).toBeUndefined();
  });

  it('takes the client from as far left as the number of trusted proxies says', async () => {
    fixture = authFixture(undefined, { trustedProxies: 2 });
    const responses = await guesses(130, (i) => `10.9.0.${i & 255}, 198.51.100.7, 10.0.0.${i & 255}`);
    expect(statuses(responses)[429]).toBe(30);
  });

  it('believes the header only from our proxy: straight to the port, a client cannot pick its address', async () => {
    fixture = authFixture(undefined, { trustedProxies: 1 });
    const responses = await guesses(130, (i) => `10.9.0.${i & 255}`, '192.168.1.50');
    expect(statuses(responses)[429]).toBe(30);
  });

  it('groups an IPv6 client by its /64, however the address is written', async () => {
    fixture = authFixture(undefined, { trustedProxies: 1 });
    const responses = await guesses(130, (i) => `2001:db8::${(i + 1).toString(16)}:b:c:d`);
    expect(statuses(responses)[429]).toBe(30);
    // Each its own /64: each its own client.
    const apart = await guesses(130, (i) => `2001:db8:1:${(i + 1).toString(16)}::1`);
    expect(statuses(apart)[429]).toBeUndefined();
  });
});

describe('refusals of anonymous requests', () => {
  it('are counted and logged by sample, never written to the audit log row by row', async () => {
    const lines: string[] = [];
    fixture = authFixture(undefined, { log: (line) => lines.push(line) });
    const before = (fixture.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    for (let i = 0; i < 50; i++) expect((await fixture.get('/api/auth/me')).status).toBe(401);
    const after = (fixture.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    expect(after).toBe(before);
    expect(lines).toHaveLength(1);
    fixture.now = new Date(fixture.now.getTime() + 61_000);
    await fixture.get('/api/mis/status');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Refused 50 anonymous requests');

    const admin = await fixture.addUser('staff', ['school-admin']);
    fixture.db.prepare('UPDATE schools SET require_admin_mfa = 0').run();
    const cookie = cookieFrom(await fixture.signIn(admin.email));
    const deep = (await (await fixture.get('/api/health/deep', cookie)).json()) as {
      counters: Record<string, number>;
      database: string;
    };
    expect(deep).toMatchObject({ database: 'ok', counters: { 'anonymous-refusals': 51 } });
    // However often an admin (or a stolen admin session) asks, the whole file is read once a minute.
    const pragma = vi.spyOn(fixture.db, 'pragma');
    for (let i = 0; i < 5; i++) await fixture.get('/api/health/deep', cookie);
    expect(pragma.mock.calls.filter(([sql]) => sql.includes('check'))).toHaveLength(0);
    pragma.mockRestore();
  });

  it('but a signed-in person refused is audited', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    const cookie = cookieFrom(await fixture.signIn(teacher.email));
    expect((await fixture.get('/api/health/deep', cookie)).status).toBe(403);
    expect(auditCount('denied')).toBe(1);
  });
});

describe('/api/health', () => {
  it('is public and cheap: it never scans the database file', async () => {
    fixture = authFixture();
    const pragma = vi.spyOn(fixture.db, 'pragma');
    const response = await fixture.get('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
    expect(pragma.mock.calls.map(([sql]) => sql)).not.toContainEqual(expect.stringContaining('check'));
    pragma.mockRestore();
  });
});

describe('the authenticator step', () => {
  async function staffNeedingSetup(): Promise<string> {
    const admin = await fixture.addUser('staff', ['payments-admin']);
    return cookieFrom(await fixture.signIn(admin.email));
  }

  it('limits guesses at enabling from one session, and audits each wrong one', async () => {
    fixture = authFixture();
    const cookie = await staffNeedingSetup();
    expect((await fixture.post('/api/auth/totp/setup', {}, cookie)).status).toBe(200);
    const responses: Response[] = [];
    for (let i = 0; i < 12; i++)
      responses.push(await fixture.post('/api/auth/totp/enable', { code: String(100000 + i) }, cookie));
    expect(statuses(responses)).toEqual({ 400: 5, 429: 7 });
    expect(auditCount('totp-failed')).toBe(5);
  });

  it('limits guesses at replacing a working factor', async () => {
    fixture = authFixture();
    const cookie = await staffNeedingSetup();
    const { secret } = (await (await fixture.post('/api/auth/totp/setup', {}, cookie)).json()) as {
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    const code = totp.generate({ timestamp: fixture.now.getTime() });
    expect((await fixture.post('/api/auth/totp/enable', { code }, cookie)).status).toBe(200);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fixture.post('/api/auth/totp/setup', { code: String(200000 + i) }, cookie),
      ),
    );
    expect(statuses(responses)).toEqual({ 403: 5, 429: 15 });
  });
});

describe('the code asked for at sign-in', () => {
  it('cannot be guessed without end by someone who has the password', async () => {
    fixture = authFixture();
    const admin = await fixture.addUser('staff', ['school-admin']);
    const cookie = cookieFrom(await fixture.signIn(admin.email));
    const { secret } = (await (await fixture.post('/api/auth/totp/setup', {}, cookie)).json()) as {
      secret: string;
    };
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 });
    expect(
      (
        await fixture.post(
          '/api/auth/totp/enable',
          { code: totp.generate({ timestamp: fixture.now.getTime() }) },
          cookie,
        )
      ).status,
    ).toBe(200);
    // A right password with no code, then a wrong code, again and again: the asking never wipes the count.
    const guesses: number[] = [];
    for (let round = 0; round < 12; round++) {
      expect((await fixture.signIn(admin.email)).status).toBe(round < 5 ? 401 : 429);
      guesses.push((await fixture.signIn(admin.email, undefined, { totp: String(100000 + round) })).status);
    }
    expect(guesses.filter((status) => status === 401)).toHaveLength(5);
    expect(guesses.filter((status) => status === 429)).toHaveLength(7);
  });
});

describe('secrets at rest', () => {
  it('keeps authenticator secrets sealed, bound to their row', async () => {
    fixture = authFixture();
    const admin = await fixture.addUser('staff', ['school-admin']);
    const other = await fixture.addUser('staff', ['school-admin']);
    const cookie = cookieFrom(await fixture.signIn(admin.email));
    const { secret } = (await (await fixture.post('/api/auth/totp/setup', {}, cookie)).json()) as {
      secret: string;
    };
    const code = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
      timestamp: fixture.now.getTime(),
    });
    expect((await fixture.post('/api/auth/totp/enable', { code }, cookie)).status).toBe(200);
    const stored = userById(fixture.db, admin.id)?.totpSecret ?? '';
    expect(stored).toMatch(/^sealed:v1:k1:/);
    expect(stored).not.toContain(secret);

    // Copied onto another account, the sealed value does not open: that account cannot sign in with it.
    fixture.db
      .prepare('UPDATE users SET totp_secret = ?, totp_enabled = 1 WHERE id = ?')
      .run(stored, other.id);
    fixture.now = new Date(fixture.now.getTime() + 60_000);
    const stolen = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
      timestamp: fixture.now.getTime(),
    });
    const copied = await fixture.signIn(other.email, undefined, { totp: stolen });
    expect(copied.status).toBe(401);
    expect(await copied.json()).toMatchObject({ error: 'invalid-totp' });
  });

  it('makes the audit chain an HMAC chain: recomputing plain hashes no longer hides an edit', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    await fixture.signIn(teacher.email);
    await fixture.signIn(teacher.email, 'wrong password!');
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: true });
    // Whoever can write the data folder rewrites a row and every hash after it, as the old chain allowed.
    const raw = new Database(fixture.db.name);
    raw.exec('DROP TRIGGER audit_log_no_update;');
    const rows = raw.prepare('SELECT * FROM audit_log ORDER BY id').all() as {
      id: number;
      at: string;
      actor: string;
      action: string;
      object: string;
      detail: string;
    }[];
    let prev = '0'.repeat(64);
    for (const row of rows) {
      const action = row.action === 'sign-in-failed' ? 'sign-in' : row.action;
      const text = JSON.stringify([prev, row.at, row.actor, action, row.object, JSON.parse(row.detail)]);
      const hash = createHash('sha256').update(text).digest('hex');
      raw
        .prepare('UPDATE audit_log SET action = ?, prev_hash = ?, hash = ? WHERE id = ?')
        .run(action, prev, hash, row.id);
      prev = hash;
    }
    raw.close();
    expect(verifyAudit(fixture.db)).toMatchObject({ ok: false, rowId: rows[0]?.id });
  });
});

describe('a member of staff leaving', () => {
  it('loses access at the 02:00 run of the leave date, the same rule as pupils', async () => {
    // 00:30 London on the leave date: pupils leaving today are still on roll, and so is this teacher.
    fixture = authFixture(new Date('2026-11-10T00:30:00Z'));
    const [member] = fixture.db
      .prepare(
        "SELECT mis_id FROM mis_records WHERE kind = 'staff' AND json_extract(data, '$.leavingDate') IS NULL",
      )
      .all() as { mis_id: string }[];
    if (!member) throw new Error('the demo has staff');
    const teacher = await fixture.addUser('staff', ['staff'], { misId: member.mis_id });
    fixture.db
      .prepare(
        "UPDATE mis_records SET data = json_set(data, '$.leavingDate', '2026-11-10') WHERE kind = 'staff' AND mis_id = ?",
      )
      .run(member.mis_id);
    const cookie = cookieFrom(await fixture.signIn(teacher.email));
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(200);
    fixture.now = new Date('2026-11-10T02:00:00Z');
    expect((await fixture.get('/api/auth/me', cookie)).status).toBe(401);
  });
});
