import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Db } from '../db/database.ts';

/*
 * The audit log: who did what to which object, when (UTC, server time). Never a password, a code
 * or a message body. Each row's hash covers the previous row's hash, so `audit-verify` finds any
 * row edited or removed behind the server's back.
 */

export interface AuditEvent {
  /** `user:12`, `ingest-key:3`, `cli`, or `anonymous`. */
  readonly actor: string;
  readonly action: string;
  readonly object: string;
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

const GENESIS = '0'.repeat(64);

function rowHash(prev: string, at: string, event: Required<AuditEvent>): string {
  const canonical = JSON.stringify([prev, at, event.actor, event.action, event.object, event.detail]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Beside the database file: the newest row's id and hash, so cutting rows off the end shows. */
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
  // Read the last hash and append in one write transaction, so two writers cannot fork the chain.
  const head = db.transaction(() => append(db, event, at)).immediate();
  const file = headFile(db);
  if (isOutermost && file) writeFileSync(file, JSON.stringify(head));
}

function append(db: Db, event: AuditEvent, at: Date): Head {
  const full: Required<AuditEvent> = { detail: {}, ...event };
  const last = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { hash: string } | undefined;
  const prev = last?.hash ?? GENESIS;
  const when = at.toISOString();
  const hash = rowHash(prev, when, full);
  const result = db
    .prepare(
      'INSERT INTO audit_log (at, actor, action, object, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(when, full.actor, full.action, full.object, JSON.stringify(full.detail), prev, hash);
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
}

/** Walk the chain from the start; the first row that does not follow is reported. */
export function verifyAudit(db: Db): AuditCheck {
  let prev = GENESIS;
  let count = 0;
  for (const row of db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>) {
    count++;
    if (row.prev_hash !== prev)
      return {
        ok: false,
        rowId: row.id,
        problem: 'does not follow the row before it (a row was removed or changed)',
      };
    let detail: Record<string, string | number | boolean | null>;
    try {
      detail = JSON.parse(row.detail) as typeof detail;
    } catch {
      return { ok: false, rowId: row.id, problem: 'its detail is not readable' };
    }
    const expected = rowHash(prev, row.at, {
      actor: row.actor,
      action: row.action,
      object: row.object,
      detail,
    });
    if (expected !== row.hash)
      return { ok: false, rowId: row.id, problem: 'its contents do not match its hash (it was edited)' };
    prev = row.hash;
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
