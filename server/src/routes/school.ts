import { schoolSettingsChangeSchema } from '@schoolping/shared';
import { Hono, type Context } from 'hono';
import { readSchoolSettings, updateSchoolSettings } from '../db/school-settings.ts';
import type { SchoolRow } from '../db/school-store.ts';
import { actorOf, invalidRequest, noSchool, schoolOf as schoolOfPrincipal } from '../http/answers.ts';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { smallBody } from '../http/small-body.ts';
import { summarise } from '../school-summary.ts';

export function schoolRoutes(context: AppContext) {
  const { db, clock } = context;
  const schoolOf = (c: Context<AppEnv>): SchoolRow | null => schoolOfPrincipal(context, c);
  return new Hono<AppEnv>()
    .use('/settings', smallBody())
    .get('/summary', guard(context, 'GET /api/school/summary'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      return c.json(summarise(db, school, clock()));
    })
    .get('/settings', guard(context, 'GET /api/school/settings'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      return c.json(readSchoolSettings(db, school.id));
    })
    .post('/settings', guard(context, 'POST /api/school/settings'), async (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const parsed = schoolSettingsChangeSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return invalidRequest(c, parsed.error.issues[0]);
      return c.json(updateSchoolSettings(db, school.id, parsed.data, actorOf(c), clock()));
    });
}
