import { audit, sealLegacyAudit, type SealOutcome } from '../auth/audit.ts';
import { totpPurpose } from '../auth/totp.ts';
import type { Db } from '../db/database.ts';
import { attachKeyring, keyringFor } from '../db/database.ts';
import type { Keyring } from './keyring.ts';
import { fingerprint, isSealed, seal, unseal } from './sealed.ts';

/*
 * Every secret column, in one list: sealing when the key is first made, and re-sealing at key
 * rotation, walk the same columns with the same purposes that the code reading them uses.
 */

interface SecretColumn {
  readonly table: 'users' | 'xod_connections';
  readonly column: string;
  readonly rowKey: 'id' | 'school_id';
  readonly purpose: (row: number) => string;
}

export const xodSecretPurpose = (schoolId: number): string => `xod_connections.secret:${schoolId}`;

const SECRET_COLUMNS: readonly SecretColumn[] = [
  { table: 'users', column: 'totp_secret', rowKey: 'id', purpose: totpPurpose.active },
  { table: 'users', column: 'totp_pending_secret', rowKey: 'id', purpose: totpPurpose.pending },
  { table: 'xod_connections', column: 'secret', rowKey: 'school_id', purpose: xodSecretPurpose },
];

/** Seal (or re-seal under `to.current`) every secret column; returns how many values changed. */
function resealAll(db: Db, from: Keyring, to: Keyring, onlyPlain: boolean): number {
  let changed = 0;
  for (const { table, column, rowKey, purpose } of SECRET_COLUMNS) {
    const rows = db
      .prepare(`SELECT ${rowKey} AS row, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL`)
      .all() as { row: number; value: string }[];
    const update = db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${rowKey} = ?`);
    for (const { row, value } of rows) {
      if (onlyPlain && isSealed(value)) continue;
      const plain = isSealed(value) ? unseal(from, value, purpose(row)) : value;
      update.run(seal(to, plain, purpose(row)), row);
      changed++;
    }
  }
  return changed;
}

export class ServerKeyMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerKeyMismatchError';
  }
}

/** The ids of the keys a database was sealed with (read before it is opened for use). */
export function recordedKeyIds(db: Db): string[] {
  return (db.prepare('SELECT id FROM server_keys ORDER BY id').all() as { id: string }[]).map(
    (row) => row.id,
  );
}

/**
 * Every key this database was sealed with must be in the ring, and be the same key; keys in the
 * ring are recorded by fingerprint. A different key file (another user's config folder, a host
 * restored without its key) is refused before it can write anything.
 */
export function checkAndRecordKeys(db: Db, keyring: Keyring, now: Date): void {
  const stored = db.prepare('SELECT id, fingerprint FROM server_keys').all() as {
    id: string;
    fingerprint: string;
  }[];
  for (const { id, fingerprint: expected } of stored) {
    const key = keyring.byId(id);
    if (!key)
      throw new ServerKeyMismatchError(
        `This database was sealed with server key ${id}, which the key file does not hold. Restore the key file from its backup, or point SECRET_KEY_FILE at it.`,
      );
    if (fingerprint(key) !== expected)
      throw new ServerKeyMismatchError(
        `The key file holds a different key ${id} from the one this database was sealed with. Restore the right key file, or point SECRET_KEY_FILE at it.`,
      );
  }
  const insert = db.prepare('INSERT OR IGNORE INTO server_keys (id, fingerprint, added_at) VALUES (?, ?, ?)');
  for (const { id, key } of keyring.all) insert.run(id, fingerprint(key), now.toISOString());
}

export interface AtRestReport {
  readonly secretsSealed: number;
  readonly audit: SealOutcome;
}

/**
 * At every start: the key is checked against the database. Only in the start that created the key
 * are secrets an older release stored in plain text sealed, and its audit chain with them; after
 * that, a plain secret or an unsealed audit row is tampering, never something to bless.
 */
export function sealAtRest(
  db: Db,
  { keyCreated }: { readonly keyCreated: boolean },
  now: Date,
): AtRestReport {
  const keyring = keyringFor(db);
  checkAndRecordKeys(db, keyring, now);
  if (!keyCreated) return { secretsSealed: 0, audit: { ok: true, sealed: 0 } };
  const secretsSealed = db.transaction(() => resealAll(db, keyring, keyring, true)).immediate();
  return { secretsSealed, audit: sealLegacyAudit(db, keyring) };
}

/**
 * After a new key was added to the ring: every secret is opened with whichever key sealed it and
 * sealed again with the new one, in one transaction. Audit rows keep the key they were written
 * with; new rows use the new key, and each still links to the one before.
 */
export function resealSecrets(db: Db, next: Keyring, now: Date): number {
  const previous = keyringFor(db);
  const changed = db.transaction(() => resealAll(db, previous, next, false)).immediate();
  attachKeyring(db, next);
  checkAndRecordKeys(db, next, now);
  audit(
    db,
    {
      actor: 'cli',
      action: 'server-key-rotated',
      object: `key:${next.current.id}`,
      detail: { resealed: changed },
    },
    now,
  );
  return changed;
}
