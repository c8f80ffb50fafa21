import { Secret, TOTP } from 'otpauth';
import type { Db } from '../db/database.ts';
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

/** Start setting up: a new secret, kept until the first code proves the app has it. */
export function beginTotp(db: Db, user: UserRow): { secret: string; uri: string } {
  const secret = new Secret({ size: 20 }).base32;
  db.prepare('UPDATE users SET totp_secret = ?, totp_enabled = 0 WHERE id = ?').run(secret, user.id);
  return { secret, uri: totpFor(user, secret).toString() };
}

export function isTotpValid(user: Pick<UserRow, 'email' | 'totpSecret'>, code: string, now: Date): boolean {
  if (!user.totpSecret || !/^\d{6}$/.test(code.trim())) return false;
  return (
    totpFor(user, user.totpSecret).validate({ token: code.trim(), timestamp: now.getTime(), window: 1 }) !==
    null
  );
}

/** Turn the factor on with a first good code; returns ten single-use recovery codes, shown once. */
export function enableTotp(db: Db, user: UserRow, code: string, now: Date): string[] | null {
  if (!isTotpValid(user, code, now)) return null;
  const codes = Array.from({ length: 10 }, () => humanCode());
  db.transaction(() => {
    db.prepare('UPDATE users SET totp_enabled = 1 WHERE id = ?').run(user.id);
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
