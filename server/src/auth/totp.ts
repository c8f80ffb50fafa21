import { Secret, TOTP } from 'otpauth';
import type { Db } from '../db/database.ts';
import type { Keyring } from '../secrets/keyring.ts';
import { seal, SealedSecretError, unseal } from '../secrets/sealed.ts';
import { humanCode, normaliseCode, tokenHash } from './tokens.ts';
import type { UserRow } from './users.ts';

/* RFC 6238 time-based codes (30 s, 6 digits, SHA-1: what every authenticator app reads). */

function totpFor(user: Pick<UserRow, 'email'>, secret: string): TOTP {
  return new TOTP({
    issuer: 'SchoolPing',
    label: user.email,
    secret: Secret.fromBase32(secret),
    digits: 6,
    period: 30,
  });
}

/** Where each secret is sealed: the purpose binds the sealed value to its column and row. */
export const totpPurpose = {
  active: (userId: number): string => `users.totp_secret:${userId}`,
  pending: (userId: number): string => `users.totp_pending_secret:${userId}`,
};

/** Start setting up: a new secret, kept apart until the first code proves the app has it. */
export function beginTotp(db: Db, keys: Keyring, user: UserRow): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  db.prepare('UPDATE users SET totp_pending_secret = ? WHERE id = ?').run(
    seal(keys, secret, totpPurpose.pending(user.id)),
    user.id,
  );
  return { secret, uri: totpFor(user, secret).toString() };
}

/** The 30-second step a code belongs to, if it is valid now (a step either side allowed for clock drift). */
function matchingStep(user: Pick<UserRow, 'email'>, secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code.trim())) return null;
  const delta = totpFor(user, secret).validate({ token: code.trim(), timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 30_000) + delta;
}

/**
 * Check a sign-in code and use it up: a code already used (or an older one) is refused, so one
 * seen over a shoulder cannot be replayed within its 90 seconds.
 */
export function useTotp(db: Db, keys: Keyring, user: UserRow, code: string, now: Date): boolean {
  if (!user.totpEnabled || !user.totpSecret) return false;
  let secret: string;
  try {
    secret = unseal(keys, user.totpSecret, totpPurpose.active(user.id));
  } catch (error) {
    // A secret that does not open (moved from another row, or sealed under a lost key) proves nothing.
    if (error instanceof SealedSecretError) return false;
    throw error;
  }
  const step = matchingStep(user, secret, code, now);
  if (step === null) return false;
  return (
    db
      .prepare('UPDATE users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?')
      .run(step, user.id, step).changes === 1
  );
}

/** Turn the pending secret on with a first good code; returns ten single-use recovery codes, shown once. */
export function enableTotp(db: Db, keys: Keyring, user: UserRow, code: string, now: Date): string[] | null {
  const sealed = (
    db.prepare('SELECT totp_pending_secret AS secret FROM users WHERE id = ?').get(user.id) as {
      secret: string | null;
    }
  ).secret;
  const pending = sealed ? unseal(keys, sealed, totpPurpose.pending(user.id)) : null;
  const step = pending ? matchingStep(user, pending, code, now) : null;
  if (step === null) return null;
  const codes = Array.from({ length: 10 }, () => humanCode());
  db.transaction(() => {
    db.prepare(
      'UPDATE users SET totp_secret = ?, totp_pending_secret = NULL, totp_enabled = 1, totp_last_step = ? WHERE id = ?',
    ).run(seal(keys, pending ?? '', totpPurpose.active(user.id)), step, user.id);
    db.prepare('DELETE FROM recovery_codes WHERE user_id = ?').run(user.id);
    const insert = db.prepare('INSERT INTO recovery_codes (code_hash, user_id) VALUES (?, ?)');
    for (const each of codes) insert.run(tokenHash(each), user.id);
  })();
  return codes;
}

/** A recovery code works once, in place of an authenticator code. */
export function useRecoveryCode(db: Db, user: UserRow, code: string, now: Date): boolean {
  const result = db
    .prepare('UPDATE recovery_codes SET used_at = ? WHERE code_hash = ? AND user_id = ? AND used_at IS NULL')
    .run(now.toISOString(), tokenHash(normaliseCode(code)), user.id);
  return result.changes === 1;
}
