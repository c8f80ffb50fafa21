import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../db/database.ts';
import { schoolById, type SchoolRow } from '../db/school-store.ts';
import type { FeedJob } from '../ingest/intake/feed-job.ts';
import { recordRefusal } from '../ingest/core/ingest.ts';
import { schoolForKey } from '../ingest/core/keys.ts';
import { looksLikeZip, mediaType, ZIP_TYPES } from '../ingest/intake/media-type.ts';
import type { RunSource } from '../ingest/core/runs.ts';
import { syncHealth } from '../ingest/core/sync-health.ts';
import { feedWorker } from '../ingest/intake/worker/feed-pool.ts';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';

export const MAX_INGEST_BYTES = 32 * 1024 * 1024;

type Env = { Variables: AppEnv['Variables'] & { school: SchoolRow } };

/*
 * The push routes only check who is sending and what kind of body it is, read the bytes, and hand
 * them to the ingest worker: parsing and applying a feed never runs on the thread that answers.
 */
export function misRoutes(context: AppContext) {
  const { db, clock } = context;
  /** A feed refused before it could be read: recorded too, so sync health shows the failure. */
  function refuse(
    c: Context<Env>,
    source: RunSource,
    status: 400 | 413 | 415,
    code: string,
    message: string,
  ) {
    const runId = recordRefusal(db, c.var.school.id, source, [{ where: '', code, message }], clock(), 0);
    return c.json({ error: code, runId, message }, status);
  }
  const sourceOf = (c: Context<Env>): RunSource =>
    c.req.path.endsWith('/oneroster') ? 'oneroster' : 'xporter';
  const tooLarge = bodyLimit({
    maxSize: MAX_INGEST_BYTES,
    onError: (c: Context<Env>) =>
      refuse(
        c,
        sourceOf(c),
        413,
        'too-large',
        `The feed is over ${MAX_INGEST_BYTES / 1024 / 1024} MB; nothing was changed.`,
      ),
  });
  const wrongType = (c: Context<Env>, source: RunSource, expected: string) =>
    refuse(
      c,
      source,
      415,
      'unsupported-media-type',
      `This route takes ${expected}, not "${mediaType(c.req.header('content-type')) || 'no Content-Type'}". Nothing was changed.`,
    );
  async function run(c: Context<Env>, job: FeedJob) {
    const started = performance.now();
    const reply = await feedWorker.run(db, job, clock());
    const source = sourceOf(c);
    context.telemetry.feeds.inc({ source, status: String(reply.status) });
    context.telemetry.feedSeconds.observe({ source }, (performance.now() - started) / 1000);
    return c.json(reply.body, reply.status);
  }

  return new Hono<Env>()
    .use('/xporter', ingestKey(db))
    .use('/oneroster', ingestKey(db))
    .use('/xporter', tooLarge)
    .use('/oneroster', tooLarge)
    .post('/xporter', async (c) => {
      if (mediaType(c.req.header('content-type')) !== 'application/json')
        return wrongType(c, 'xporter', 'the XoD datasets as application/json');
      const body = new Uint8Array(await c.req.arrayBuffer());
      return run(c, { kind: 'xporter', schoolId: c.var.school.id, body });
    })
    .post('/oneroster', async (c) => {
      const contentType = c.req.header('content-type') ?? '';
      const type = mediaType(contentType);
      if (type !== 'multipart/form-data' && !ZIP_TYPES.has(type))
        return wrongType(
          c,
          'oneroster',
          'a OneRoster zip (application/zip) or the CSV files as multipart/form-data',
        );
      const body = new Uint8Array(await c.req.arrayBuffer());
      const schoolId = c.var.school.id;
      if (type === 'multipart/form-data')
        return run(c, { kind: 'oneroster-form', schoolId, body, contentType });
      if (!looksLikeZip(body))
        return refuse(
          c,
          'oneroster',
          400,
          'not-a-zip',
          'The body is not a zip archive (it does not start as one). Send the OneRoster export as a .zip file. Nothing was changed.',
        );
      return run(c, { kind: 'oneroster-zip', schoolId, body });
    })
    .get('/status', guard(context, 'GET /api/mis/status'), (c) => {
      const schoolId = c.get('principal')?.schoolId ?? 0;
      if (!schoolById(db, schoolId))
        return c.json({ error: 'no-school', message: 'Your school is not set up on this server.' }, 404);
      return c.json(syncHealth(db, schoolId, clock()));
    });
}

function ingestKey(db: Db) {
  return async (c: Context<Env>, next: () => Promise<void>) => {
    const header = c.req.header('authorization') ?? '';
    const key = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const schoolId = key ? schoolForKey(db, key) : null;
    const school = schoolId === null ? null : schoolById(db, schoolId);
    if (!school) {
      return c.json(
        { error: 'unauthorised', message: 'A valid ingest key is required: Authorization: Bearer <key>.' },
        401,
      );
    }
    c.set('school', school);
    await next();
  };
}
