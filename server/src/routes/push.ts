import { pushSubscriptionSchema } from '@schoolping/shared';
import { Hono } from 'hono';
import type { AppContext, AppEnv } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import type { NotifyStore } from '../notify/notify-store.ts';

export interface PushRouteOptions {
  /** The VAPID public key browsers subscribe with; push is off without one. */
  readonly publicKey: string | null;
  /** Which push services the server will post to (the known ones, unless a test says otherwise). */
  readonly isAllowedEndpoint: (url: URL) => boolean;
}

/**
 * A parent's phone subscribes to pushes after the parent taps a button for it; the subscription
 * belongs to the session that made it and goes with it at sign-out. School admins see whether
 * parents are being reached.
 */
export function pushRoutes(context: AppContext, store: NotifyStore, options: PushRouteOptions) {
  const { clock } = context;
  return new Hono<AppEnv>()
    .get('/push/key', guard(context, 'GET /api/push/key'), (c) => {
      if (!options.publicKey)
        return c.json({ error: 'push-off', message: 'Notifications are not set up on this server.' }, 404);
      return c.json({ publicKey: options.publicKey });
    })
    .post('/push/subscriptions', guard(context, 'POST /api/push/subscriptions'), async (c) => {
      const principal = c.get('principal');
      const session = c.get('session');
      if (!principal || !session)
        return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
      const parsed = pushSubscriptionSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success)
        return c.json({ error: 'bad-subscription', message: 'That is not a push subscription.' }, 400);
      if (!options.isAllowedEndpoint(new URL(parsed.data.endpoint)))
        return c.json(
          { error: 'unknown-push-service', message: 'That push service is not one we send to.' },
          400,
        );
      store.saveSubscription(
        { endpoint: parsed.data.endpoint, ...parsed.data.keys },
        { schoolId: principal.schoolId, userId: principal.userId, sessionIdHash: session.idHash },
        clock(),
      );
      return c.json({ ok: true }, 201);
    })
    .post('/push/subscriptions/remove', guard(context, 'POST /api/push/subscriptions/remove'), async (c) => {
      const principal = c.get('principal');
      if (!principal) return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
      const body = (await c.req.json().catch(() => null)) as { endpoint?: unknown } | null;
      if (typeof body?.endpoint !== 'string')
        return c.json({ error: 'bad-subscription', message: 'Say which subscription to remove.' }, 400);
      store.removeSubscription(body.endpoint, principal.userId);
      return c.json({ ok: true });
    })
    .get('/notifications/status', guard(context, 'GET /api/notifications/status'), (c) => {
      const principal = c.get('principal');
      if (!principal) return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
      return c.json(store.totals(principal.schoolId));
    });
}
