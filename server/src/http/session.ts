import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { accessFor } from '../auth/access.ts';
import type { Principal } from '@schoolping/shared';
import { endAllSessions, findSession, SESSION_COOKIE, type SessionRow } from '../auth/sessions.ts';
import { userById, type UserRow } from '../auth/users.ts';
import type { AppEnv, AppContext } from './env.ts';

export interface SignedIn {
  readonly principal: Principal;
  readonly session: SessionRow;
  readonly user: UserRow;
}

/**
 * The signed-in person behind a session cookie's value, or null. A staff member who has left the
 * school has every session ended here, on whichever request or sync frame comes first.
 */
export function resolveSession(context: AppContext, cookie: string | undefined): SignedIn | null {
  const { db, clock, settings } = context;
  const session = cookie
    ? findSession(db, cookie, (userId) => userById(db, userId), clock(), settings)
    : null;
  const user = session ? userById(db, session.userId) : null;
  if (!session || !user) return null;
  const access = accessFor(db, user, clock(), settings);
  if (access.ok) return { principal: access.principal, session, user };
  endAllSessions(db, user.id);
  return null;
}

/** Who is asking: the session from the cookie, its user, and what the MIS now allows them. */
export function attachPrincipal(context: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const signedIn = resolveSession(context, getCookie(c, SESSION_COOKIE));
    c.set('principal', signedIn?.principal ?? null);
    c.set('session', signedIn?.session ?? null);
    c.set('user', signedIn?.user ?? null);
    await next();
    // Anything about a signed-in person stays out of every cache.
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
  };
}
