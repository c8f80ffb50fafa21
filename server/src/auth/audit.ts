import { createHash } from 'node:crypto';
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

export function audit(db: Db, event: AuditEvent, at: Date): void {
  // Read the last hash and append in one write transaction, so two writers cannot fork the chain.
  db.transaction(() => {
    append(db, event, at);
  }).immediate();
}

function append(db: Db, event: AuditEvent, at: Date): void {
  const full: Required<AuditEvent> = { detail: {}, ...event };
  const last = db.prepare('SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as
    { hash: string } | undefined;
  const prev = last?.hash ?? GENESIS;
  const when = at.toISOString();
  db.prepare(
    'INSERT INTO audit_log (at, actor, action, object, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    when,
    full.actor,
    full.action,
    full.object,
    JSON.stringify(full.detail),
    prev,
    rowHash(prev, when, full),
  );
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
  return { ok: true, rows: count };
}
