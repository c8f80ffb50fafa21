import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoFeed } from '../test/ingest-fixture.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'schoolping-cli-'));
const keyDir = mkdtempSync(join(tmpdir(), 'schoolping-cli-key-'));
const keyFile = join(keyDir, 'server-key.json');
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(keyDir, { recursive: true, force: true });
});

/** `npx schoolping`: the real command line, as support staff run it, on its own DATA_DIR. */
const BIN = join(import.meta.dirname, '..', 'bin', 'schoolping.js');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, SECRET_KEY_FILE: keyFile },
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// Each step spawns the real command; on a busy machine a few of them take seconds.
describe('npx schoolping', { timeout: 60_000 }, () => {
  it('lists its commands', () => {
    const { status, stdout } = cli('help');
    expect(status).toBe(0);
    for (const command of [
      'school-add',
      'ingest-key',
      'held',
      'daily',
      'mis-status',
      'leavers',
      'contact-block',
      'xod-connect',
    ]) {
      expect(stdout).toContain(command);
    }
  });

  it('adds a school with a key, rotates the key, and refuses bad input clearly', async () => {
    const added = cli('school-add', '--name', 'Brookfield Primary School', '--estab', '8012000');
    expect(added.status).toBe(0);
    const firstKey = /spi_[\w-]+/.exec(added.stdout)?.[0];
    expect(firstKey).toBeDefined();
    expect(cli('school-add', '--name', 'X', '--estab', '12').stderr).toContain('seven-digit');
    expect(cli('school-add', '--name', 'Again', '--estab', '8012000').stderr).toContain('already exists');

    const rotated = cli('ingest-key');
    const secondKey = /spi_[\w-]+/.exec(rotated.stdout)?.[0];
    expect(secondKey).toBeDefined();
    expect(secondKey).not.toBe(firstKey);

    // The new key works against the same DATA_DIR through the real app.
    const { openDatabase } = await import('./db/database.ts');
    const { createApp } = await import('./app.ts');
    const { readKeyFile } = await import('./secrets/keyring.ts');
    const db = openDatabase(dataDir, readKeyFile(keyFile));
    const app = createApp({ db, clock: () => new Date('2026-11-10T10:00:00Z') });
    const push = (key: string | undefined) =>
      app.request('/api/mis/xporter', {
        method: 'POST',
        body: JSON.stringify(demoFeed().payload),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key ?? ''}` },
      });
    expect((await push(firstKey)).status).toBe(401);
    expect((await push(secondKey)).status).toBe(200);
    db.close();
  });

  it('reports sync health, runs the daily job as of a date, and prints the leavers check', () => {
    const status = JSON.parse(cli('mis-status', '--json').stdout) as { status: string; lastGoodSync: string };
    expect(status.lastGoodSync).toBe('2026-11-10T10:00:00.000Z');
    const preview = JSON.parse(cli('daily', '--as-of', '2027-07-23', '--json').stdout) as {
      preview: boolean;
      changes: unknown[];
    };
    expect(preview.preview).toBe(true);
    expect(preview.changes.length).toBeGreaterThan(0);
    const daily = cli('daily', '--as-of', '2027-07-23', '--apply', '--json');
    expect(daily.status).toBe(0);
    const changes = (JSON.parse(daily.stdout) as { changes: { change: string; detail: { name: string } }[] })
      .changes;
    expect(changes.some((entry) => entry.change === 'left' && entry.detail.name === 'Poppy Daley')).toBe(
      true,
    );
    const report = JSON.parse(cli('leavers', '--date', '2027-07-23', '--json').stdout) as {
      pupils: { name: string; contacts: { name: string; expected: string; actual: string }[] }[];
    };
    const poppy = report.pupils.find((pupil) => pupil.name === 'Poppy Daley');
    expect(poppy?.contacts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Karen Daley', expected: 'leaver', actual: 'leaver' }),
        expect.objectContaining({ name: 'Mark Daley', expected: 'active', actual: 'active' }),
      ]),
    );
    expect(cli('leavers', '--date', 'July').stderr).toContain('YYYY-MM-DD');
    expect(cli('leavers', '--date', '2027-02-30').stderr).toContain('2027-02-30 is not a date that exists');

    // For people: a table, one leaver a row with their class, each contact beneath, nothing raw.
    const table = cli('leavers', '--date', '2027-07-23').stdout;
    expect(table).toMatch(/^Leavers check for 2027-07-23: \d+ leavers, \d+ not as expected\./);
    expect(table).toMatch(/Poppy Daley\s+6 \w+\s+2027-07-23\s+leaver\s+leaver/);
    expect(table).toMatch(/ {2}Karen Daley \(\w+\)\s+leaver\s+leaver/);
    expect(table).toMatch(/ {2}Mark Daley \(\w+\)\s+active\s+active/);
    expect(table).not.toContain('null');
    expect(table).not.toContain('{');
    // The last good sync was weeks before the real clock: late, with the seed's causes and steps.
    expect(cli('mis-status').stdout).toMatch(
      /^MIS sync: LATE\. [\s\S]*Likely causes:[\s\S]*What to do next:\n {2}1\. /,
    );
  });

  it('prints only its own output, and JSON only when asked', () => {
    const status = cli('status', '--json');
    expect(status.status).toBe(0);
    const schools = JSON.parse(status.stdout) as { name: string }[];
    expect(schools[0]?.name).toBe('Brookfield Primary School');
    expect(cli('status').stdout).toMatch(/^id\s+school\s+estab/);
  });

  it('says what is wrong: a missing data folder, an empty database', async () => {
    const missing = spawnSync(process.execPath, [BIN, 'status'], {
      env: { ...process.env, DATA_DIR: join(dataDir, 'no-such-folder'), SECRET_KEY_FILE: keyFile },
      encoding: 'utf8',
    });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('There is no SchoolPing database in');
    expect(existsSync(join(dataDir, 'no-such-folder'))).toBe(false);

    const emptyDir = mkdtempSync(join(tmpdir(), 'schoolping-cli-empty-'));
    try {
      const { openServerDatabase } = await import('./secrets/startup.ts');
      openServerDatabase(emptyDir, keyFile, new Date(), () => undefined).close();
      const empty = spawnSync(process.execPath, [BIN, 'mis-status'], {
        env: { ...process.env, DATA_DIR: emptyDir, SECRET_KEY_FILE: keyFile },
        encoding: 'utf8',
      });
      expect(empty.status).toBe(2);
      expect(empty.stderr).toContain('There is no school yet');
      expect(empty.stderr).toContain('school-add');
      expect(empty.stderr).toContain('demo-load');
    } finally {
      rmSync(emptyDir, { recursive: true, force: true });
    }
  });

  it('keeps a do-not-contact block and lists held snapshots', () => {
    expect(cli('contact-block', '--contact', '5001', '--reason', 'court order').status).toBe(0);
    expect(JSON.parse(cli('held', '--json').stdout)).toEqual([]);
    expect(cli('held').stdout.trim()).toBe('No snapshots are held.');
    expect(cli('held', '--accept', '99').stderr).toContain('no held snapshot 99');
  });

  it('lists the parents no push or email reached for a message, as a table or as JSON', () => {
    const db = new Database(join(dataDir, 'schoolping.sqlite'));
    try {
      const schoolId = db.prepare('SELECT id FROM schools ORDER BY id LIMIT 1').pluck().get() as number;
      const contacts = db
        .prepare("SELECT mis_id FROM mis_records WHERE kind = 'contact' ORDER BY mis_id LIMIT 3")
        .pluck()
        .all() as string[];
      db.prepare(
        `INSERT INTO messages (school_id, id, subject, body, audience, sent, sent_at)
         VALUES (?, 'm-cli', 'Trip', 'Bring a coat', '{"kind":"school"}', '{}', '2026-11-10T09:00:00Z')`,
      ).run(schoolId);
      const notice = db.prepare(
        "INSERT INTO notifications (school_id, message_id, contact_id, status, next_at, last_error) VALUES (?, 'm-cli', ?, ?, '2026-11-10T09:00:00Z', ?)",
      );
      notice.run(schoolId, contacts[0], 'unreached', 'no push subscription, and email is not set up');
      notice.run(schoolId, contacts[1], 'pending', 'email: connect ECONNREFUSED');
      notice.run(schoolId, contacts[2], 'pushed', null);
    } finally {
      db.close();
    }
    const json = cli('unreached', '--message', 'm-cli', '--json');
    expect(json.status).toBe(0);
    const rows = JSON.parse(json.stdout) as { contactId: string; reason: string }[];
    expect(rows.map((row) => row.reason).sort()).toEqual([
      'no push subscription, and email is not set up',
      'still trying (email: connect ECONNREFUSED)',
    ]);
    const people = cli('unreached', '--message', 'm-cli');
    expect(people.stdout).toMatch(/^2 parents not reached:\nparent +email +why\n-+/);
    const unknown = cli('unreached', '--message', 'nope');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('has no message nope');
  });

  it('adds a staff account with a one-time code, issues parents’ codes as CSV, and verifies the audit log', () => {
    const added = cli(
      'user-add',
      '--email',
      'office@brookfield.example.org',
      '--name',
      'Anita Patel',
      '--role',
      'staff,payments-admin',
    );
    expect(added.status).toBe(0);
    expect(added.stdout).toMatch(/[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(
      cli('user-add', '--email', 'office@brookfield.example.org', '--name', 'Again', '--role', 'staff')
        .stderr,
    ).toContain('already');
    expect(cli('user-add', '--email', 'x@example.org', '--name', 'X', '--role', 'parent').stderr).toContain(
      'Roles are',
    );
    const csv = cli('activation-codes').stdout.trim().split('\n');
    expect(csv[0]).toBe('contact,name,email,code');
    expect(csv.length).toBeGreaterThan(100);
    expect(csv[1]).toMatch(/^\d+,[^,]+,[^,]+@[^,]+,[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(cli('user-roles', '--email', 'office@brookfield.example.org', '--role', 'staff').status).toBe(0);
    const verified = cli('audit-verify');
    expect(verified.status).toBe(0);
    expect(verified.stdout).toContain('intact');
  });

  it('rotates the server key, re-sealing secrets, and the audit log still verifies; the deep check runs', () => {
    expect(
      cli(
        'xod-connect',
        '--relying-party',
        'rp',
        '--secret',
        'the-xod-secret',
        '--base-url',
        'http://127.0.0.1:9',
      ).status,
    ).toBe(0);
    const rotated = cli('key-rotate');
    expect(rotated.status).toBe(0);
    expect(rotated.stdout).toContain('k2');
    expect(rotated.stdout).toContain('1 secrets re-sealed');
    const db = new Database(join(dataDir, 'schoolping.sqlite'), { readonly: true });
    const { secret } = db.prepare('SELECT secret FROM xod_connections').get() as { secret: string };
    db.close();
    expect(secret).toMatch(/^sealed:v1:k2:/);
    expect(secret).not.toContain('the-xod-secret');
    expect(cli('audit-verify').stdout).toContain('intact');
    const health = cli('health');
    expect(health.status).toBe(0);
    expect(health.stdout).toContain('healthy');
  });
});
