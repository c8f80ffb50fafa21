import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Db } from '../db/database.ts';
import { keyringFor } from '../db/database.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { mac } from '../secrets/sealed.ts';

/*
 * The audit log: who did what to which object, when (UTC, server time). Never a password, a code
 * or a message body. Each row carries an HMAC, under the server key, of its contents and the row
 * before's MAC: whoever can write the data folder but lacks the key (kept outside it) cannot edit,
 * remove or insert a row without `audit-verify` finding it.
 */

export interface AuditEvent {
  /** `user:12`, `ingest-key:3`, `cli`, or `anonymous`. */
  readonly actor: string;
  readonly action: string;
  readonly object: string;
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

const GENESIS = '0'.repeat(64);

function canonical(prev: string, at: string, event: Required<AuditEvent>): string {
  return JSON.stringify([prev, at, event.actor, event.action, event.object, event.detail]);
}

/** Beside the database file: the newest row's id and MAC, so cutting rows off the end shows. */
function headFile(db: Db): string | null {
  return db.memory ? null : `${db.name}.audit-head`;
}

interface Head {
  readonly id: number;
  readonly hash: string;
}

export function audit(db: Db, event: AuditEvent, at: Date): void {
  // Inside another transaction the row may yet be rolled back: only a committed row moves the head.
  const isOutermost = !db.inTransaction;
  // Read the last MAC and append in one write transaction, so two writers cannot fork the chain.
  const head = db.transaction(() => append(db, event, at)).immediate();
  const file = headFile(db);
  if (isOutermost && file) writeFileSync(file, JSON.stringify(head));
}

function append(db: Db, event: AuditEvent, at: Date): Head {
  const { id: keyId, key } = keyringFor(db).current;
  const full: Required<AuditEvent> = { detail: {}, ...event };
  const last = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { hash: string } | undefined;
  const prev = last?.hash ?? GENESIS;
  const when = at.toISOString();
  const hash = mac(key, canonical(prev, when, full));
  const result = db
    .prepare(
      'INSERT INTO audit_log (at, actor, action, object, detail, prev_hash, hash, key_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
    .run(when, full.actor, full.action, full.object, JSON.stringify(full.detail), prev, hash, keyId);
  return { id: Number(result.lastInsertRowid), hash };
}

export type AuditCheck =
  | { readonly ok: true; readonly rows: number }
  | { readonly ok: false; readonly rowId: number; readonly problem: string };

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  detail: string;
  prev_hash: string;
  hash: string;
  key_id: string | null;
}

type RowCheck =
  { readonly ok: true; readonly hash: string } | { readonly ok: false; readonly problem: string };

/** One row against the row before it: its link, and its MAC (or, for `legacy`, its plain SHA-256). */
function checkRow(row: AuditRow, prev: string, macKey: Buffer | 'legacy'): RowCheck {
  if (row.prev_hash !== prev)
    return { ok: false, problem: 'does not follow the row before it (a row was removed or changed)' };
  let detail: Record<string, string | number | boolean | null>;
  try {
    detail = JSON.parse(row.detail) as typeof detail;
  } catch {
    return { ok: false, problem: 'its detail is not readable' };
  }
  const text = canonical(prev, row.at, { actor: row.actor, action: row.action, object: row.object, detail });
  const expected = macKey === 'legacy' ? createHash('sha256').update(text).digest('hex') : mac(macKey, text);
  if (expected !== row.hash)
    return { ok: false, problem: 'its contents do not match its MAC (it was edited or forged)' };
  return { ok: true, hash: row.hash };
}

/** Walk the chain from the start; the first row that does not follow is reported. */
export function verifyAudit(db: Db): AuditCheck {
  const keyring = keyringFor(db);
  let prev = GENESIS;
  let count = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>) {
    count++;
    if (row.key_id === null)
      return { ok: false, rowId: row.id, problem: 'was never sealed with the server key' };
    const key = keyring.byId(row.key_id);
    if (!key)
      return {
        ok: false,
        rowId: row.id,
        problem: `was sealed with server key ${row.key_id}, which is not in the key file`,
      };
    const checked = checkRow(row, prev, key);
    if (!checked.ok) return { ok: false, rowId: row.id, problem: checked.problem };
    prev = checked.hash;
  }
  const file = headFile(db);
  if (file && existsSync(file)) {
    const head = JSON.parse(readFileSync(file, 'utf8')) as Head;
    const row = db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(head.id) as
      { hash: string } | undefined;
    if (row?.hash !== head.hash) {
      return {
        ok: false,
        rowId: head.id,
        problem:
          'is missing or differs from the last row recorded outside the database (rows were cut off or rewritten)',
      };
    }
  }
  return { ok: true, rows: count };
}

export type SealOutcome =
  | { readonly ok: true; readonly sealed: number }
  | { readonly ok: false; readonly rowId: number; readonly problem: string };

/**
 * Rows written before the server key existed carry a plain SHA-256 chain, which anyone could
 * recompute. Called once, in the start that creates the server key: if every row is such a row and
 * the chain is intact, it is sealed under the key. Otherwise nothing is touched, so `audit-verify`
 * keeps reporting what is wrong instead of it being laundered.
 */
export function sealLegacyAudit(db: Db, keyring: Keyring): SealOutcome {
  const rows = db.prepare('SELECT * FROM audit_log ORDER BY id').all() as AuditRow[];
  if (rows.length === 0) return { ok: true, sealed: 0 };
  let prev = GENESIS;
  for (const row of rows) {
    if (row.key_id !== null)
      return {
        ok: false,
        rowId: row.id,
        problem: 'is already sealed, so the log is not one an older release wrote',
      };
    const checked = checkRow(row, prev, 'legacy');
    if (!checked.ok) return { ok: false, rowId: row.id, problem: checked.problem };
    prev = checked.hash;
  }
  const { id: keyId, key } = keyring.current;
  db.transaction(() => {
    // The triggers that keep the log append-only are lifted for this one rewrite, inside its transaction.
    db.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    const update = db.prepare('UPDATE audit_log SET prev_hash = ?, hash = ?, key_id = ? WHERE id = ?');
    let link = GENESIS;
    for (const row of rows) {
      const detail = JSON.parse(row.detail) as Record<string, string | number | boolean | null>;
      const hash = mac(
        key,
        canonical(link, row.at, { actor: row.actor, action: row.action, object: row.object, detail }),
      );
      update.run(link, hash, keyId, row.id);
      link = hash;
    }
    db.exec(`
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    `);
  }).immediate();
  const last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as Head;
  const file = headFile(db);
  if (file) writeFileSync(file, JSON.stringify(last));
  return { ok: true, sealed: rows.length };
}
