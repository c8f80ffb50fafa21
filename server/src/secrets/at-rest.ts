import { sealLegacyAudit, audit, type SealOutcome } from '../auth/audit.ts';
import { totpPurpose } from '../auth/totp.ts';
import type { Db } from '../db/database.ts';
import { attachKeyring, keyringFor } from '../db/server-keys.ts';
import type { Keyring } from './keyring.ts';
import { isSealed, seal, unseal } from './sealed.ts';

/*
 * Every secret column, in one list: sealing at first start, and re-sealing at key rotation, walk
 * the same columns with the same purposes that the code reading them uses.
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

/** Seal (or re-seal under `keyring.current`) every secret column; returns how many values changed. */
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

export interface AtRestReport {
  readonly secretsSealed: number;
  readonly audit: SealOutcome;
}

/** At every start: secrets stored in plain text by an older release are sealed, and the audit chain too. */
export function sealAtRest(db: Db): AtRestReport {
  const keyring = keyringFor(db);
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
