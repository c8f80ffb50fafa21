import { rosterOn, type Role } from '@schoolping/shared';
import type { Db } from '../db/database.ts';
import { loadRoster, type SchoolRow } from '../db/school-store.ts';
import type { IdentitySettings } from './settings.ts';
import { humanCode, normaliseCode, tokenHash } from './tokens.ts';
import { createUser, userByEmail, userForMis, type UserRow } from './users.ts';

/** A one-time code for a user: stored hashed, expires, works once. Older unused codes stop working. */
export function issueActivationCode(db: Db, user: UserRow, now: Date, settings: IdentitySettings): string {
  const code = humanCode();
  const expires = new Date(now.getTime() + settings.activationDays * 86_400_000);
  db.prepare('DELETE FROM activation_codes WHERE user_id = ? AND used_at IS NULL').run(user.id);
  db.prepare(
    'INSERT INTO activation_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  ).run(tokenHash(code), user.id, now.toISOString(), expires.toISOString());
  return code;
}

export type Redeemed = { readonly ok: true; readonly userId: number } | { readonly ok: false };

/** Whether a code could be used now, without using it: checked before any slow work is spent on it. */
export function isLiveActivationCode(db: Db, code: string, now: Date): boolean {
  const row = db
    .prepare('SELECT expires_at, used_at FROM activation_codes WHERE code_hash = ?')
    .get(tokenHash(normaliseCode(code))) as { expires_at: string; used_at: string | null } | undefined;
  return row !== undefined && row.used_at === null && Date.parse(row.expires_at) > now.getTime();
}

/** Use a code up, if it is live. Called inside the transaction that sets the password. */
export function redeemActivationCode(db: Db, code: string, now: Date): Redeemed {
  const row = db
    .prepare('SELECT user_id, expires_at, used_at FROM activation_codes WHERE code_hash = ?')
    .get(tokenHash(normaliseCode(code))) as
    { user_id: number; expires_at: string; used_at: string | null } | undefined;
  if (!row || row.used_at !== null || Date.parse(row.expires_at) <= now.getTime()) return { ok: false };
  db.prepare('UPDATE activation_codes SET used_at = ? WHERE code_hash = ?').run(
    now.toISOString(),
    tokenHash(normaliseCode(code)),
  );
  return { ok: true, userId: row.user_id };
}

export class AccountError extends Error {}

/** A staff account, linked to the MIS staff record with the same email when there is one. */
export function addStaffUser(
  db: Db,
  school: SchoolRow,
  email: string,
  name: string,
  roles: readonly Role[],
  now: Date,
): UserRow {
  if (userByEmail(db, email)) throw new AccountError(`There is already an account for ${email}.`);
  const staff = loadRoster(db, school).staff.find(
    (member) => member.email?.toLowerCase() === email.trim().toLowerCase(),
  );
  return createUser(
    db,
    { schoolId: school.id, kind: 'staff', misId: staff?.id ?? null, email, name, roles },
    now,
  );
}

export interface ParentCode {
  readonly contactId: string;
  readonly name: string;
  readonly email: string;
  readonly code: string;
}

/**
 * Codes for every parent on roll with parental responsibility and an email address who has not
 * activated yet, for a mail merge or printed letters. Running it again replaces unused codes.
 */
export function parentActivationCodes(
  db: Db,
  school: SchoolRow,
  now: Date,
  settings: IdentitySettings,
  skipped: (contact: string, reason: string) => void = () => undefined,
): ParentCode[] {
  const roster = rosterOn(loadRoster(db, school), now);
  const withResponsibility = new Set(
    roster.links.filter((link) => link.parentalResponsibility).map((link) => link.contactId),
  );
  const codes: ParentCode[] = [];
  for (const contact of roster.contacts.values()) {
    if (
      contact.status !== 'active' ||
      contact.doNotContact ||
      !contact.email ||
      !withResponsibility.has(contact.id)
    )
      continue;
    const name = `${contact.forename} ${contact.surname}`;
    const existing = userForMis(db, school.id, 'parent', contact.id);
    if (existing?.passwordHash) continue;
    const other = userByEmail(db, contact.email);
    if (!existing && other) {
      skipped(`${contact.id} ${name}`, `${contact.email} already belongs to another account (${other.kind})`);
      continue;
    }
    const user =
      existing ??
      createUser(
        db,
        {
          schoolId: school.id,
          kind: 'parent',
          misId: contact.id,
          email: contact.email,
          name,
          roles: ['parent'],
        },
        now,
      );
    codes.push({
      contactId: contact.id,
      name,
      email: contact.email,
      code: issueActivationCode(db, user, now, settings),
    });
  }
  return codes;
}
