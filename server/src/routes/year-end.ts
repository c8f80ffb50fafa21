import { isIsoDate, type Tonight } from '@schoolping/shared';
import { Hono } from 'hono';
import { schoolById } from '../db/school-store.ts';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { previewDaily } from '../ingest/core/daily.ts';
import { leaversReport } from '../ingest/core/leavers.ts';
import { nextDailyRun } from '../scheduler.ts';

export function yearEndRoutes(context: AppContext) {
  const { db } = context;
  /**
   * The preview replays the daily run in a transaction it rolls back: worth doing once per roster
   * version and run, not at every request. Staff see when it was worked out.
   */
  const tonight = new Map<number, { readonly key: string; readonly answer: Tonight }>();
  const rosterVersion = db.prepare('SELECT roster_version FROM schools WHERE id = ?').pluck();
  return new Hono<AppEnv>()
    .get('/tonight', guard(context, 'GET /api/year-end/tonight'), (c) => {
      const school = schoolById(db, c.get('principal')?.schoolId ?? 0);
      if (!school)
        return c.json({ error: 'no-school', message: 'Your school is not set up on this server.' }, 404);
      const now = context.clock();
      const runAt = nextDailyRun(now);
      const key = `${String(rosterVersion.get(school.id))}@${runAt.toISOString()}`;
      const cached = tonight.get(school.id);
      if (cached?.key === key) return c.json(cached.answer);
      const answer: Tonight = {
        runAt: runAt.toISOString(),
        computedAt: now.toISOString(),
        changes: previewDaily(db, school.id, runAt),
      };
      tonight.set(school.id, { key, answer });
      return c.json(answer);
    })
    .get('/leavers', guard(context, 'GET /api/year-end/leavers'), (c) => {
      const date = c.req.query('date');
      if (!isIsoDate(date)) {
        return c.json({ error: 'invalid-date', message: 'Give the date to check as ?date=YYYY-MM-DD.' }, 400);
      }
      const school = schoolById(db, c.get('principal')?.schoolId ?? 0);
      if (!school)
        return c.json({ error: 'no-school', message: 'Your school is not set up on this server.' }, 404);
      return c.json(leaversReport(db, school, date));
    });
}
