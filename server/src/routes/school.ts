import { Hono } from 'hono';
import { schoolById } from '../db/school-store.ts';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { summarise } from '../school-summary.ts';

export function schoolRoutes(context: AppContext) {
  const { db, clock } = context;
  return new Hono<AppEnv>().get('/summary', guard(context, 'GET /api/school/summary'), (c) => {
    const school = schoolById(db, c.get('principal')?.schoolId ?? 0);
    if (!school)
      return c.json({ error: 'no-school', message: 'Your school is not set up on this server.' }, 404);
    return c.json(summarise(db, school, clock()));
  });
}
