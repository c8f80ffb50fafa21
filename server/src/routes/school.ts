import { Hono } from 'hono';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import { defaultSchool, summarise } from '../school-summary.ts';

export function schoolRoutes(db: Db, clock: Clock) {
  return new Hono().get('/summary', (c) => {
    const school = defaultSchool(db);
    if (!school)
      return c.json({ error: 'no-school', message: 'No school has been set up on this server yet.' }, 404);
    return c.json(summarise(db, school, clock()));
  });
}
