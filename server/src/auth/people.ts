import { addDays, londonDate, rosterOn, type People, type Role } from '@schoolping/shared';
import type { Db } from '../db/database.ts';
import { loadRoster, type SchoolRow } from '../db/school-store.ts';
import { addStaffUser, issueActivationCode, parentActivationCodes, type ParentCode } from './activation.ts';
import { audit } from './audit.ts';
import { endAllSessions } from './sessions.ts';
import type { IdentitySettings } from './settings.ts';
import { setRoles, type UserRow } from './users.ts';

/*
 * The school admin's People screen and the command line share these: each change is made and
 * audited in one transaction.
 */

/** Staff accounts with their last sign-in, and parents with parental responsibility, with where each is. */
export function listPeople(db: Db, school: SchoolRow, now: Date): People {
  const staff = db
    .prepare(
      `SELECT u.id, u.name, u.email, u.roles, u.password_hash IS NOT NULL AS activated,
         (SELECT max(at) FROM audit_log a WHERE a.action = 'sign-in' AND a.object = 'user:' || u.id) AS lastSignInAt,
         (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > ?) AS liveSessions
       FROM users u WHERE u.school_id = ? AND u.kind = 'staff' ORDER BY u.name`,
    )
    .all(now.toISOString(), school.id) as {
    id: number;
    name: string;
    email: string;
    roles: string;
    activated: number;
    lastSignInAt: string | null;
    liveSessions: number;
  }[];
  const accounts = new Map(
    (
      db
        .prepare(
          `SELECT u.mis_id AS contactId, u.password_hash IS NOT NULL AS activated,
             EXISTS (SELECT 1 FROM activation_codes c WHERE c.user_id = u.id AND c.used_at IS NULL AND c.expires_at > ?) AS invited
           FROM users u WHERE u.school_id = ? AND u.kind = 'parent'`,
        )
        .all(now.toISOString(), school.id) as { contactId: string; activated: number; invited: number }[]
    ).map((row) => [row.contactId, row]),
  );
  const roster = rosterOn(loadRoster(db, school), now);
  const responsible = new Set(
    roster.links.filter((link) => link.parentalResponsibility).map((link) => link.contactId),
  );
  const sortKey = (contact: { forename: string; surname: string }): string =>
    `${contact.surname}\u0000${contact.forename}`;
  const parents = [...roster.contacts.values()]
    .filter((contact) => contact.status === 'active' && responsible.has(contact.id))
    .sort((a, b) => sortKey(a).localeCompare(sortKey(b)))
    .map((contact) => {
      const account = accounts.get(contact.id);
      return {
        contactId: contact.id,
        name: `${contact.forename} ${contact.surname}`,
        email: contact.email,
        children: contact.pupilIds.map((id) => {
          const pupil = roster.pupils.get(id);
          return pupil ? `${pupil.forename} ${pupil.surname}` : id;
        }),
        state: account?.activated
          ? ('activated' as const)
          : account?.invited
            ? ('invited' as const)
            : ('not-invited' as const),
      };
    });
  return {
    staff: staff.map((row) => ({
      ...row,
      roles: JSON.parse(row.roles) as string[],
      activated: row.activated === 1,
    })),
    parents,
  };
}

/** A new staff account and its one-time activation code. */
export function addStaffAccount(
  db: Db,
  school: SchoolRow,
  account: { readonly email: string; readonly name: string; readonly roles: readonly Role[] },
  actor: string,
  now: Date,
  settings: IdentitySettings,
): { readonly user: UserRow; readonly code: string } {
  return db.transaction(() => {
    const user = addStaffUser(db, school, account.email, account.name, account.roles, now);
    audit(
      db,
      {
        actor,
        action: 'user-added',
        object: `user:${String(user.id)}`,
        detail: { roles: account.roles.join(',') },
      },
      now,
    );
    return { user, code: issueActivationCode(db, user, now, settings) };
  })();
}

/** New roles for a staff account; its sessions end, so the change applies at once. */
export function changeStaffRoles(
  db: Db,
  user: UserRow,
  roles: readonly Role[],
  actor: string,
  now: Date,
): void {
  db.transaction(() => {
    setRoles(db, user.id, roles);
    endAllSessions(db, user.id);
    audit(
      db,
      {
        actor,
        action: 'role-change',
        object: `user:${String(user.id)}`,
        detail: { from: user.roles.join(','), to: roles.join(',') },
      },
      now,
    );
  })();
}

/** Sign a staff account out everywhere (a lost tablet); returns how many sessions ended. */
export function endStaffSessions(db: Db, user: UserRow, actor: string, now: Date): number {
  return db.transaction(() => {
    const ended = endAllSessions(db, user.id);
    audit(db, { actor, action: 'sessions-ended', object: `user:${String(user.id)}`, detail: { ended } }, now);
    return ended;
  })();
}

/** Codes for every parent who has not activated (unused ones replaced), and the day they stop working. */
export function issueParentCodes(
  db: Db,
  school: SchoolRow,
  actor: string,
  now: Date,
  settings: IdentitySettings,
  skipped?: (contact: string, reason: string) => void,
): { readonly expiresOn: string; readonly codes: ParentCode[] } {
  return db.transaction(() => {
    const codes = parentActivationCodes(db, school, now, settings, skipped);
    audit(
      db,
      {
        actor,
        action: 'activation-codes-issued',
        object: `school:${String(school.id)}`,
        detail: { count: codes.length },
      },
      now,
    );
    return { expiresOn: addDays(londonDate(now), settings.activationDays), codes };
  })();
}
