import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../db/database.ts';
import { schoolById, type SchoolRow } from '../db/school-store.ts';
import { ingestBatch, recordRefusal } from '../ingest/ingest.ts';
import { schoolForKey } from '../ingest/keys.ts';
import { readOneRosterRequest } from '../ingest/oneroster-request.ts';
import type { RunSource } from '../ingest/runs.ts';
import { syncHealth } from '../ingest/sync-health.ts';
import type { IngestIssue, ParseResult } from '../ingest/types.ts';
import { parseXporter } from '../ingest/xporter/parse.ts';
import type { AppEnv, IdentityContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';

export const MAX_INGEST_BYTES = 32 * 1024 * 1024;

type Env = { Variables: AppEnv['Variables'] & { school: SchoolRow } };

export function misRoutes(identity: IdentityContext) {
  const { db, clock } = identity;
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

  function answer(school: SchoolRow, source: RunSource, parsed: ParseResult, started: number) {
    const now = clock();
    if (!parsed.ok) {
      const runId = recordRefusal(db, school.id, source, parsed.errors, now, performance.now() - started);
      return {
        status: 422 as const,
        body: {
          error: 'invalid-feed',
          runId,
          message: 'Nothing was changed: fix these and send the feed again.',
          errors: parsed.errors,
        },
      };
    }
    const { batch } = parsed;
    if (batch.estab !== null && batch.estab !== school.estab) {
      const errors: IngestIssue[] = [
        {
          where: source === 'xporter' ? '/SchoolInfo/0/EstabId' : 'orgs.csv',
          code: 'wrong-school',
          message: `This feed is for establishment ${batch.estab}, but the key belongs to ${school.name} (${school.estab}).`,
        },
      ];
      const runId = recordRefusal(db, school.id, source, errors, now, performance.now() - started);
      return {
        status: 403 as const,
        body: { error: 'wrong-school', runId, message: errors[0]?.message ?? '', errors },
      };
    }
    const result = ingestBatch(db, school, batch, source, now);
    if (result.outcome === 'held') {
      const message = `Held for an admin to check: ${result.missing} of ${result.onRoll} pupils on roll are missing from this snapshot without a leave date.`;
      return {
        status: 202 as const,
        body: { runId: result.runId, held: true, heldId: result.heldId, message, warnings: result.warnings },
      };
    }
    const { runId, counts, byKind, warnings } = result;
    return { status: 200 as const, body: { runId, counts, byKind, warnings } };
  }

  return new Hono<Env>()
    .use('/xporter', ingestKey(db))
    .use('/oneroster', ingestKey(db))
    .use('/xporter', tooLarge)
    .use('/oneroster', tooLarge)
    .post('/xporter', async (c) => {
      const started = performance.now();
      if (!(c.req.header('content-type') ?? '').startsWith('application/json')) {
        return refuse(
          c,
          'xporter',
          415,
          'unsupported-media-type',
          'Send the XoD datasets as application/json.',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (error) {
        const detail = error instanceof Error ? error.message : 'unreadable';
        return refuse(
          c,
          'xporter',
          400,
          'invalid-json',
          `The body is not valid JSON (${detail}). Nothing was changed.`,
        );
      }
      const { status, body: reply } = answer(c.var.school, 'xporter', parseXporter(body), started);
      return c.json(reply, status);
    })
    .post('/oneroster', async (c) => {
      const started = performance.now();
      const parsed = await readOneRosterRequest(c.req.raw, clock());
      const { status, body: reply } = answer(c.var.school, 'oneroster', parsed, started);
      return c.json(reply, status);
    })
    .get('/status', guard(identity, 'GET /api/mis/status'), (c) => {
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
