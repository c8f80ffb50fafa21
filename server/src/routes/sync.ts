import { Hono } from 'hono';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { answerMessage } from '../sync/answer.ts';
import type { SyncEngine } from '../sync/engine.ts';
import { readBatch, readNamed, writeBatch, writeNamed } from '@schoolping/shared';
import { MAX_FRAME_BYTES } from '../sync/socket-hub.ts';
import { step1Message } from '@schoolping/shared';
import { bodyLimit } from 'hono/body-limit';

/** Frames in one HTTP exchange, and bytes in its body: the socket's frame limit, for the batch. */
const MAX_FRAMES = 200;

/**
 * GET /api/sync/docs lists the documents the signed-in person may open, with kind and whether they
 * may write. POST /api/sync carries the same frames as the `/sync` socket over plain HTTP, for
 * school networks whose filters break WebSockets: the body is a batch of named messages, the
 * answer another. Each document named is answered with what the sender lacks and with the
 * server's state vector, so the next exchange can carry the sender's own changes.
 */
export function syncRoutes(context: AppContext, engine: SyncEngine) {
  return new Hono<AppEnv>()
    .post(
      '/',
      guard(context, 'POST /api/sync'),
      bodyLimit({
        maxSize: MAX_FRAME_BYTES,
        onError: (c) =>
          c.json({ error: 'too-large', message: 'Send at most 1 MiB of changes at once.' }, 413),
      }),
      async (c) => {
        const principal = c.get('principal');
        const session = c.get('session');
        const user = c.get('user');
        if (!principal || !session || !user)
          return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
        let frames: Uint8Array[];
        try {
          frames = readBatch(new Uint8Array(await c.req.arrayBuffer()), MAX_FRAMES);
        } catch {
          return c.json({ error: 'bad-frames', message: 'The changes sent could not be read.' }, 400);
        }
        const replies: Uint8Array[] = [];
        const told = new Set<string>();
        for (const frame of frames) {
          let named: ReturnType<typeof readNamed>;
          try {
            named = readNamed(frame);
          } catch {
            return c.json({ error: 'bad-frames', message: 'The changes sent could not be read.' }, 400);
          }
          const opened = engine.open(principal, named.name);
          if (!opened.ok) {
            context.log(`sync: refused an HTTP frame of user ${user.id} for ${named.name}: ${opened.reason}`);
            return c.json(
              { error: opened.reason, message: `You cannot open ${named.name}.` },
              opened.reason === 'forbidden' ? 403 : 404,
            );
          }
          const answer = await answerMessage(
            engine,
            { principal, session, user },
            named.name,
            opened.ref,
            named.message,
          );
          if (answer.refused !== undefined) {
            context.log(
              `sync: refused an HTTP frame of user ${user.id} for ${named.name}: ${answer.refused}`,
            );
            return c.json({ error: 'refused', message: 'A change sent was refused.' }, 400);
          }
          if (answer.stopped)
            return c.json(
              { error: 'stopping', message: 'The server is restarting; try again shortly.' },
              503,
            );
          for (const reply of answer.replies) replies.push(writeNamed(named.name, reply));
          if (!told.has(named.name)) {
            told.add(named.name);
            replies.push(writeNamed(named.name, step1Message(engine.documents.stateVector(named.name))));
          }
        }
        return c.body(writeBatch(replies), 200, { 'Content-Type': 'application/octet-stream' });
      },
    )
    .get('/docs', guard(context, 'GET /api/sync/docs'), (c) => {
      const principal = c.get('principal');
      if (!principal) return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
      return c.json({ docs: engine.listDocs(principal) });
    });
}
