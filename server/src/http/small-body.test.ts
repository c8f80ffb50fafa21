import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { tempDatabase } from '../../test/temp-database.ts';
import { SMALL_BODY_BYTES } from './small-body.ts';

let cleanup = (): void => undefined;
afterEach(() => {
  cleanup();
});

function app() {
  const temp = tempDatabase();
  cleanup = temp.cleanup;
  return createApp({ db: temp.db, clock: () => new Date('2027-03-15T09:00:00Z') });
}

const HUGE = JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(4 * 1024 * 1024) });

/** The same bytes with no Content-Length: sent in chunks, as a client hiding its size would. */
function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) controller.close();
      else controller.enqueue(bytes.slice(at, (at += 64 * 1024)));
    },
  });
}

describe('bodies far larger than a form', () => {
  it('are refused at sign-in and on the push routes, with or without a Content-Length', async () => {
    const server = app();
    for (const path of ['/api/auth/sign-in', '/api/auth/activate', '/api/push/subscriptions']) {
      const sized = await server.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: HUGE,
      });
      expect(sized.status, path).toBe(413);
      const streamed = await server.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chunked(HUGE),
        duplex: 'half',
      } as RequestInit);
      expect(streamed.status, path).toBe(413);
    }
    // A body just under the limit is read, and refused for what it says, not for its size.
    const fits = await server.request('/api/auth/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a@example.org', password: 'x'.repeat(SMALL_BODY_BYTES - 100) }),
    });
    expect(fits.status).not.toBe(413);
  });
});
