import {
  addDays,
  effectiveDay,
  xodConnectRequestSchema,
  type HeldList,
  type SyncTimeline,
  type XodConnectionAnswer,
} from '@schoolping/shared';
import { Hono, type Context } from 'hono';
import { audit } from '../auth/audit.ts';
import type { SchoolRow } from '../db/school-store.ts';
import { actorOf, invalidRequest, noSchool, schoolOf as schoolOfPrincipal } from '../http/answers.ts';
import { discardHeld, heldForSchool, heldSnapshotOwner, HeldSnapshotError } from '../ingest/core/held.ts';
import { rotateIngestKey } from '../ingest/core/keys.ts';
import { recentRunsWithWarnings, runsByDay, type RunSource } from '../ingest/core/runs.ts';
import { feedWorker } from '../ingest/intake/worker/feed-pool.ts';
import { connectionSummary, GROUPCALL_URLS, saveConnection } from '../ingest/xod/pull.ts';
import type { AppContext, AppEnv } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { smallBody } from '../http/small-body.ts';

const TIMELINE_DAYS = 14;
const RUNS_LISTED = 10;

/*
 * The school admin's side of the MIS sync: the timeline, held snapshots to accept or discard, a
 * new ingest key, and the Xporter on Demand pull. Every change is written to the audit log.
 */
export function misAdminRoutes(context: AppContext) {
  const { db, clock } = context;

  const schoolOf = (c: Context<AppEnv>): SchoolRow | null => schoolOfPrincipal(context, c);
  /** A held snapshot from the path, when it is one of this school's, waiting for a decision. */
  function heldOf(c: Context<AppEnv>, school: SchoolRow): { id: number; source: RunSource } | null {
    const id = Number(c.req.param('id'));
    const owner = Number.isSafeInteger(id) && id > 0 ? heldSnapshotOwner(db, id) : null;
    return owner?.schoolId === school.id ? { id, source: owner.source } : null;
  }
  const noHeld = (c: Context<AppEnv>) =>
    c.json({ error: 'no-held-snapshot', message: 'That snapshot is not waiting for a decision.' }, 404);

  return new Hono<AppEnv>()
    .use('/xod', smallBody())
    .use('/held/*', smallBody())
    .use('/ingest-key', smallBody())
    .get('/runs', guard(context, 'GET /api/mis/runs'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const today = effectiveDay(clock());
      const answer: SyncTimeline = {
        days: runsByDay(db, school.id, addDays(today, -(TIMELINE_DAYS - 1)), today),
        runs: recentRunsWithWarnings(db, school.id, RUNS_LISTED).map((run) => ({
          ...run,
          errors: [...run.errors],
        })),
      };
      return c.json(answer);
    })
    .get('/held', guard(context, 'GET /api/mis/held'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const answer: HeldList = {
        held: heldForSchool(db, school.id).map(({ id, receivedAt, missing, onRoll, removing, names }) => ({
          id,
          receivedAt,
          missing,
          onRoll,
          removing,
          names,
        })),
      };
      return c.json(answer);
    })
    .post('/held/:id/accept', guard(context, 'POST /api/mis/held/:id/accept'), async (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const held = heldOf(c, school);
      if (held === null) return noHeld(c);
      const { id: heldId, source } = held;
      // Applying a whole snapshot is an ingest: it runs on the ingest worker, not on this thread.
      const reply = await feedWorker.run(
        db,
        { kind: 'held-accept', schoolId: school.id, heldId, source },
        clock(),
      );
      if (reply.status === 200)
        audit(
          db,
          {
            actor: actorOf(c),
            action: 'held-accept',
            object: `school:${String(school.id)}`,
            detail: { heldId },
          },
          clock(),
        );
      return c.json(reply.body, reply.status);
    })
    .post('/held/:id/discard', guard(context, 'POST /api/mis/held/:id/discard'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const heldId = heldOf(c, school)?.id;
      if (heldId === undefined) return noHeld(c);
      try {
        discardHeld(db, heldId, clock());
      } catch (error) {
        if (error instanceof HeldSnapshotError) return noHeld(c);
        throw error;
      }
      audit(
        db,
        {
          actor: actorOf(c),
          action: 'held-discard',
          object: `school:${String(school.id)}`,
          detail: { heldId },
        },
        clock(),
      );
      return c.json({ discarded: heldId });
    })
    .post('/ingest-key', guard(context, 'POST /api/mis/ingest-key'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const now = clock();
      const key = rotateIngestKey(db, school.id, now);
      audit(
        db,
        { actor: actorOf(c), action: 'ingest-key-rotated', object: `school:${String(school.id)}` },
        now,
      );
      // Shown this once: only its hash is stored.
      c.header('Cache-Control', 'no-store');
      return c.json({ key, issuedAt: now.toISOString() });
    })
    .get('/xod', guard(context, 'GET /api/mis/xod'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const found = connectionSummary(db, school.id);
      const answer: XodConnectionAnswer = {
        connection: found && {
          xodEstab: found.xodEstab,
          relyingParty: found.relyingParty,
          everyHours: found.everyHours,
          lastPullAt: found.lastPullAt,
        },
      };
      return c.json(answer);
    })
    .post('/xod', guard(context, 'POST /api/mis/xod'), async (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const parsed = xodConnectRequestSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return invalidRequest(c, parsed.error.issues[0]);
      const existing = connectionSummary(db, school.id);
      saveConnection(db, {
        schoolId: school.id,
        // A connection moved to another Groupcall address by the command line keeps it.
        baseUrl: existing?.baseUrl ?? GROUPCALL_URLS.baseUrl,
        tokenUrl: existing?.tokenUrl ?? GROUPCALL_URLS.tokenUrl,
        ...parsed.data,
      });
      audit(
        db,
        {
          actor: actorOf(c),
          action: existing ? 'xod-changed' : 'xod-connected',
          object: `school:${String(school.id)}`,
          detail: { relyingParty: parsed.data.relyingParty, everyHours: parsed.data.everyHours },
        },
        clock(),
      );
      return c.json({ saved: true });
    });
}
