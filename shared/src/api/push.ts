import { z } from 'zod';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+$/, 'base64url');

/** POST /api/push/subscriptions: a browser's PushSubscription, as its toJSON() gives it. */
export const pushSubscriptionSchema = z.object({
  endpoint: z.url().max(1000),
  keys: z.object({
    // An uncompressed P-256 point (65 bytes) and a 16-byte secret, base64url without padding.
    p256dh: base64url.length(87),
    auth: base64url.length(22),
  }),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;
