import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { audit, verifyAudit } from '../auth/audit.ts';
import { openDatabase } from '../db/database.ts';
import { createSchool } from '../db/school-store.ts';
import { keyringFor } from '../db/database.ts';
import { listConnections, saveConnection } from '../ingest/xod/pull.ts';
import { tempDatabase } from '../../test/temp-database.ts';
import { resealSecrets, sealAtRest, ServerKeyMismatchError } from './at-rest.ts';
import { keyringOf } from './keyring.ts';

const NOW = new Date('2026-11-10T10:00:00Z');
let cleanup = (): void => undefined;
afterEach(() => {
  cleanup();
});

/** Rows as a release before the server key wrote them: a plain SHA-256 chain, no key id. */
function writeLegacyRows(db: ReturnType<typeof tempDatabase>['db'], count: number): void {
  let prev = '0'.repeat(64);
  for (let i = 0; i < count; i++) {
    const at = new Date(NOW.getTime() + i * 1000).toISOString();
    const text = JSON.stringify([prev, at, 'cli', 'legacy', `row:${i}`, {}]);
    const hash = createHash('sha256').update(text).digest('hex');
    db.prepare(
      "INSERT INTO audit_log (at, actor, action, object, detail, prev_hash, hash) VALUES (?, 'cli', 'legacy', ?, '{}', ?, ?)",
    ).run(at, `row:${i}`, prev, hash);
    prev = hash;
  }
}

describe('sealing at rest on start', () => {
  it('seals secrets stored in plain text and an intact legacy audit chain, once', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    const school = createSchool(temp.db, { name: 'A', estab: '1234567' }, NOW);
    temp.db
      .prepare(
        "INSERT INTO xod_connections (school_id, base_url, token_url, xod_estab, relying_party, secret, every_hours) VALUES (?, 'https://x', 'https://t', '1234567', 'rp', 'plain secret', 4)",
      )
      .run(school.id);
    writeLegacyRows(temp.db, 3);
    expect(verifyAudit(temp.db)).toMatchObject({
      ok: false,
      problem: 'was never sealed with the server key',
    });
    expect(sealAtRest(temp.db, { keyCreated: true }, NOW)).toEqual({
      secretsSealed: 1,
      audit: { ok: true, sealed: 3 },
    });
    expect(verifyAudit(temp.db)).toEqual({ ok: true, rows: 3 });
    expect(listConnections(temp.db)[0]?.secret).toBe('plain secret');
    const raw = temp.db.prepare('SELECT secret FROM xod_connections').get() as { secret: string };
    expect(raw.secret).toMatch(/^sealed:v1:/);
    expect(sealAtRest(temp.db, { keyCreated: false }, NOW)).toEqual({
      secretsSealed: 0,
      audit: { ok: true, sealed: 0 },
    });
  });

  it('leaves a broken legacy chain as it is, so the break is still reported', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    writeLegacyRows(temp.db, 3);
    temp.db.exec('DROP TRIGGER audit_log_no_update;');
    temp.db.prepare("UPDATE audit_log SET object = 'edited' WHERE id = 2").run();
    expect(sealAtRest(temp.db, { keyCreated: true }, NOW).audit).toMatchObject({ ok: false, rowId: 2 });
    expect(verifyAudit(temp.db)).toMatchObject({ ok: false, rowId: 1 });
  });
});

describe('sealing happens only in the start that made the key', () => {
  it('so rows made to look unsealed later are reported, never re-sealed', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    sealAtRest(temp.db, { keyCreated: true }, NOW);
    audit(temp.db, { actor: 'cli', action: 'real', object: 'x' }, NOW);
    audit(temp.db, { actor: 'cli', action: 'real', object: 'y' }, NOW);
    // Whoever can write the data folder rewrites the log as a plain chain, as an old release wrote it.
    temp.db.exec('DROP TRIGGER audit_log_no_update;');
    let prev = '0'.repeat(64);
    for (const row of temp.db.prepare('SELECT id, at FROM audit_log ORDER BY id').all() as {
      id: number;
      at: string;
    }[]) {
      const text = JSON.stringify([prev, row.at, 'cli', 'forged', 'x', {}]);
      const hash = createHash('sha256').update(text).digest('hex');
      temp.db
        .prepare(
          "UPDATE audit_log SET action = 'forged', object = 'x', detail = '{}', prev_hash = ?, hash = ?, key_id = NULL WHERE id = ?",
        )
        .run(prev, hash, row.id);
      prev = hash;
    }
    temp.db.exec('DELETE FROM server_keys;');
    expect(sealAtRest(temp.db, { keyCreated: false }, NOW).audit).toEqual({ ok: true, sealed: 0 });
    expect(verifyAudit(temp.db)).toMatchObject({
      ok: false,
      problem: 'was never sealed with the server key',
    });
  });

  it('refuses a key that is not the one the database was sealed with', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    sealAtRest(temp.db, { keyCreated: true }, NOW);
    temp.db.close();
    const other = openDatabase(temp.dataDir, keyringOf([{ id: 'k1', key: Buffer.alloc(32, 9) }]));
    expect(() => sealAtRest(other, { keyCreated: false }, NOW)).toThrow(ServerKeyMismatchError);
    other.close();
  });
});

describe('rotating the server key', () => {
  it('re-seals every secret under the new key and keeps the audit chain verifiable', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    const school = createSchool(temp.db, { name: 'A', estab: '1234567' }, NOW);
    saveConnection(temp.db, {
      schoolId: school.id,
      baseUrl: 'https://x',
      tokenUrl: 'https://t',
      xodEstab: '1234567',
      relyingParty: 'rp',
      secret: 'xod secret',
      everyHours: 4,
    });
    audit(temp.db, { actor: 'cli', action: 'before', object: 'x' }, NOW);
    const first = temp.db.prepare('SELECT secret FROM xod_connections').get() as { secret: string };
    const ring = keyringFor(temp.db);
    const next = keyringOf([...ring.all, { id: 'k2', key: Buffer.alloc(32, 7) }]);
    expect(resealSecrets(temp.db, next, NOW)).toBe(1);
    const second = temp.db.prepare('SELECT secret FROM xod_connections').get() as { secret: string };
    expect(first.secret).toMatch(/^sealed:v1:k1:/);
    expect(second.secret).toMatch(/^sealed:v1:k2:/);
    expect(listConnections(temp.db)[0]?.secret).toBe('xod secret');
    audit(temp.db, { actor: 'cli', action: 'after', object: 'x' }, NOW);
    expect(verifyAudit(temp.db)).toMatchObject({ ok: true });
    const keys = temp.db.prepare('SELECT DISTINCT key_id FROM audit_log ORDER BY key_id').all();
    expect(keys).toEqual([{ key_id: 'k1' }, { key_id: 'k2' }]);

    // Opened without the old key, the rows it sealed can no longer be vouched for.
    temp.db.close();
    const without = openDatabase(temp.dataDir, keyringOf([{ id: 'k2', key: Buffer.alloc(32, 7) }]));
    const check = verifyAudit(without);
    expect(check.ok ? '' : check.problem).toContain('server key k1, which is not in the key file');
    without.close();
  });
});
