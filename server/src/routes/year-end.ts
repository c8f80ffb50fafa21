import { isIsoDate } from '@schoolping/shared';
import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import { schoolById } from '../db/school-store.ts';
import { leaversReport } from '../ingest/leavers.ts';
import { localOnly } from './local-only.ts';

export function yearEndRoutes(db: Db) {
  return new Hono().get('/leavers', localOnly(), (c) => {
    const date = c.req.query('date');
    if (!isIsoDate(date)) {
      return c.json({ error: 'invalid-date', message: 'Give the date to check as ?date=YYYY-MM-DD.' }, 400);
    }
    const school = schoolById(db, Number(c.req.query('school') ?? 1));
    if (!school) return c.json({ error: 'no-school', message: 'There is no such school.' }, 404);
    return c.json(leaversReport(db, school, date));
  });
}
