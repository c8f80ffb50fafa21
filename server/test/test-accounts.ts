import type { Role } from '@schoolping/shared';
import type { Db } from '../src/db/database.ts';
import { SESSION_COOKIE, startSession } from '../src/auth/sessions.ts';
import { DEFAULT_IDENTITY } from '../src/auth/settings.ts';
import { createUser, type UserRow } from '../src/auth/users.ts';

let made = 0;

/** An account for tests, with no password: sessions are started directly. */
export function makeUser(
  db: Db,
  schoolId: number,
  kind: 'staff' | 'parent',
  roles: readonly Role[],
  misId: string | null = null,
): UserRow {
  made++;
  return createUser(
    db,
    { schoolId, kind, misId, email: `user${made}-${kind}@example.com`, name: `Test ${kind} ${made}`, roles },
    new Date('2026-09-01T08:00:00Z'),
  );
}

/** A Cookie header for a fresh session of `user`, as the browser would send it. */
export function sessionCookie(db: Db, user: UserRow, now: Date): string {
  const { id } = startSession(db, user, now, DEFAULT_IDENTITY, { userAgent: 'test', needsMfaSetup: false });
  return `${SESSION_COOKIE}=${id}`;
}
