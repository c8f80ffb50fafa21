import { getCookie } from 'hono/cookie';
import type { MiddlewareHandler } from 'hono';
import { accessFor } from '../auth/access.ts';
import { endAllSessions, findSession, SESSION_COOKIE } from '../auth/sessions.ts';
import { userById } from '../auth/users.ts';
import type { AppEnv, AppContext } from './env.ts';

/**
 * Who is asking: the session from the cookie, its user, and what the MIS now allows them. A staff
 * member who has left the school has every session ended on their next request, whichever it is.
 */
export function attachPrincipal(context: AppContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('principal', null);
    c.set('session', null);
    c.set('user', null);
    const id = getCookie(c, SESSION_COOKIE);
    const { db, clock, settings } = context;
    const session = id ? findSession(db, id, (userId) => userById(db, userId), clock(), settings) : null;
    const user = session ? userById(db, session.userId) : null;
    if (session && user) {
      const access = accessFor(db, user, clock(), settings);
      if (access.ok) {
        c.set('principal', access.principal);
        c.set('session', session);
        c.set('user', user);
      } else {
        endAllSessions(db, user.id);
      }
    }
    await next();
    // Anything about a signed-in person stays out of every cache.
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
  };
}
