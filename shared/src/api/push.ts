import { z } from 'zod/mini';

const base64url = (length: number) =>
  z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'base64url'), z.length(length));

/** POST /api/push/subscriptions: a browser's PushSubscription, as its toJSON() gives it. */
export const pushSubscriptionSchema = z.object({
  endpoint: z.url().check(z.maxLength(1000)),
  keys: z.object({
    // An uncompressed P-256 point (65 bytes) and a 16-byte secret, base64url without padding.
    p256dh: base64url(87),
    auth: base64url(22),
  }),
});
export type PushSubscriptionJson = z.infer<typeof pushSubscriptionSchema>;
