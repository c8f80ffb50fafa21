import { isIsoDate } from '@schoolping/shared';
import { Hono } from 'hono';
import { schoolById } from '../db/school-store.ts';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { leaversReport } from '../ingest/core/leavers.ts';

export function yearEndRoutes(context: AppContext) {
  const { db } = context;
  return new Hono<AppEnv>().get('/leavers', guard(context, 'GET /api/year-end/leavers'), (c) => {
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
