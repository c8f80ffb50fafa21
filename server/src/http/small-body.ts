import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** The largest JSON body a form or a sign-in needs, with room to spare. */
export const SMALL_BODY_BYTES = 16 * 1024;

/**
 * Sign-in, push subscriptions and the admin's forms are a few hundred bytes: a body far beyond that
 * is refused before anything reads it, however it is sent (a lying Content-Length or a chunked
 * stream alike). Feeds and sync frames have limits of their own.
 */
export function smallBody(): MiddlewareHandler {
  return bodyLimit({
    maxSize: SMALL_BODY_BYTES,
    onError: (c) => c.json({ error: 'too-large', message: 'This request is too large.' }, 413),
  });
}
