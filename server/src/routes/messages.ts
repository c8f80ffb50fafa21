import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import type { SyncEngine } from '../sync/engine.ts';

/** GET /api/messages/:id/recipients: who a message went to and when each read it, for Sent. */
export function messageRoutes(context: AppContext, engine: SyncEngine) {
  return new Hono<AppEnv>().get(
    '/:id/recipients',
    guard(context, 'GET /api/messages/:id/recipients'),
    (c) => {
      const principal = c.get('principal');
      if (!principal) return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
      const recipients = engine.messageRecipients(principal, c.req.param('id'));
      if (!recipients)
        return c.json({ error: 'not-found', message: 'There is no such message, or it was deleted.' }, 404);
      return c.json({ recipients });
    },
  );
}
