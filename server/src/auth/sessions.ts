import type { Db } from '../db/database.ts';
import type { IdentitySettings } from './settings.ts';
import { randomToken, tokenHash } from './tokens.ts';
import type { UserRow } from './users.ts';

/*
 * Sessions: a random id (256 bits) in a cookie, stored only as its hash. A new id at every sign-in.
 * The server ends a session after its idle time or at its absolute end, whatever the browser says.
 */

export const SESSION_COOKIE = '__Host-sp_session';

export interface SessionRow {
  readonly idHash: string;
  readonly userId: number;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly userAgent: string;
  readonly needsMfaSetup: boolean;
}

interface Row {
  id_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  user_agent: string;
  needs_mfa_setup: number;
}

const toSession = (row: Row): SessionRow => ({
  idHash: row.id_hash,
  userId: row.user_id,
  createdAt: row.created_at,
  lastSeenAt: row.last_seen_at,
  expiresAt: row.expires_at,
  userAgent: row.user_agent,
  needsMfaSetup: row.needs_mfa_setup === 1,
});

export function idleMinutes(user: Pick<UserRow, 'kind'>, settings: IdentitySettings): number {
  return user.kind === 'staff' ? settings.staffIdleMinutes : settings.parentIdleMinutes;
}

export function startSession(
  db: Db,
  user: UserRow,
  now: Date,
  settings: IdentitySettings,
  details: { userAgent: string; needsMfaSetup: boolean },
): { id: string; expiresAt: Date } {
  const id = randomToken();
  const hours = user.kind === 'staff' ? settings.staffAbsoluteHours : settings.parentAbsoluteHours;
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  db.prepare(
    'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent, needs_mfa_setup) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ).run(
    tokenHash(id),
    user.id,
    now.toISOString(),
    now.toISOString(),
    expiresAt.toISOString(),
    details.userAgent.slice(0, 200),
    details.needsMfaSetup ? 1 : 0,
  );
  return { id, expiresAt };
}

/** The live session for a cookie value, touched; an idle or expired one is ended and null returned. */
export function findSession(
  db: Db,
  id: string,
  user: (userId: number) => UserRow | null,
  now: Date,
  settings: IdentitySettings,
): SessionRow | null {
  const row = db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(tokenHash(id)) as Row | undefined;
  if (!row) return null;
  const session = toSession(row);
  const owner = user(session.userId);
  const idleLimit = owner ? idleMinutes(owner, settings) * 60_000 : 0;
  const isIdle = now.getTime() - Date.parse(session.lastSeenAt) > idleLimit;
  const isExpired = now.getTime() >= Date.parse(session.expiresAt);
  if (!owner || isIdle || isExpired) {
    endSession(db, session.idHash);
    return null;
  }
  // Writing on every request would be wasteful; a minute's precision is plenty for idle timeouts.
  if (now.getTime() - Date.parse(session.lastSeenAt) > 60_000) {
    db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(
      now.toISOString(),
      session.idHash,
    );
  }
  return session;
}

export function endSession(db: Db, idHash: string): void {
  db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
}

export function endAllSessions(db: Db, userId: number): number {
  return db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId).changes;
}

/** The person's live sessions: idle and expired ones are not shown as if they were. */
export function listSessions(db: Db, user: UserRow, now: Date, settings: IdentitySettings): SessionRow[] {
  const rows = db
    .prepare('SELECT * FROM sessions WHERE user_id = ? ORDER BY created_at DESC')
    .all(user.id) as Row[];
  const idleLimit = idleMinutes(user, settings) * 60_000;
  return rows
    .map(toSession)
    .filter(
      (session) =>
        now.getTime() - Date.parse(session.lastSeenAt) <= idleLimit &&
        now.getTime() < Date.parse(session.expiresAt),
    );
}

export function markMfaDone(db: Db, idHash: string): void {
  db.prepare('UPDATE sessions SET needs_mfa_setup = 0 WHERE id_hash = ?').run(idHash);
}
