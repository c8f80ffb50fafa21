import {
  addStaffRequestSchema,
  changeRolesRequestSchema,
  type AddStaffAnswer,
  type ParentCodes,
} from '@schoolping/shared';
import { Hono, type Context } from 'hono';
import { AccountError } from '../auth/activation.ts';
import {
  addStaffAccount,
  changeStaffRoles,
  endStaffSessions,
  issueParentCodes,
  listPeople,
} from '../auth/people.ts';
import { userById, type UserRow } from '../auth/users.ts';
import type { SchoolRow } from '../db/school-store.ts';
import { actorOf, invalidRequest, noSchool, schoolOf as schoolOfPrincipal } from '../http/answers.ts';
import type { AppContext, AppEnv } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { smallBody } from '../http/small-body.ts';

/** The school admin's People screen: staff accounts and roles, and parents' activation. */
export function peopleRoutes(context: AppContext) {
  const { db, clock, settings } = context;
  const schoolOf = (c: Context<AppEnv>): SchoolRow | null => schoolOfPrincipal(context, c);
  /** A staff account of this school named by the path, or null (another school's is not found). */
  function staffOf(c: Context<AppEnv>, school: SchoolRow): UserRow | null {
    const id = Number(c.req.param('id'));
    const user = Number.isSafeInteger(id) && id > 0 ? userById(db, id) : null;
    return user?.schoolId === school.id && user.kind === 'staff' ? user : null;
  }
  const noStaff = (c: Context<AppEnv>) =>
    c.json({ error: 'no-such-account', message: 'There is no such staff account at your school.' }, 404);

  return new Hono<AppEnv>()
    .use('*', smallBody())
    .get('/', guard(context, 'GET /api/people'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      return c.json(listPeople(db, school, clock()));
    })
    .post('/staff', guard(context, 'POST /api/people/staff'), async (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const parsed = addStaffRequestSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return invalidRequest(c, parsed.error.issues[0]);
      try {
        const { user, code } = addStaffAccount(db, school, parsed.data, actorOf(c), clock(), settings);
        c.header('Cache-Control', 'no-store');
        const answer: AddStaffAnswer = { userId: user.id, code, validDays: settings.activationDays };
        return c.json(answer);
      } catch (error) {
        if (error instanceof AccountError)
          return c.json({ error: 'account-exists', message: error.message }, 409);
        throw error;
      }
    })
    .post('/staff/:id/roles', guard(context, 'POST /api/people/staff/:id/roles'), async (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const user = staffOf(c, school);
      if (!user) return noStaff(c);
      const parsed = changeRolesRequestSchema.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success) return invalidRequest(c, parsed.error.issues[0]);
      // Without this an admin could lock every admin out, themselves last.
      if (user.id === c.get('principal')?.userId && !parsed.data.roles.includes('school-admin'))
        return c.json(
          {
            error: 'own-admin-role',
            message: 'You cannot take the school admin role from yourself: ask another school admin.',
          },
          409,
        );
      changeStaffRoles(db, user, parsed.data.roles, actorOf(c), clock());
      return c.json({ roles: parsed.data.roles });
    })
    .post('/staff/:id/end-sessions', guard(context, 'POST /api/people/staff/:id/end-sessions'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const user = staffOf(c, school);
      if (!user) return noStaff(c);
      return c.json({ ended: endStaffSessions(db, user, actorOf(c), clock()) });
    })
    .post('/parent-codes', guard(context, 'POST /api/people/parent-codes'), (c) => {
      const school = schoolOf(c);
      if (!school) return noSchool(c);
      const answer: ParentCodes = issueParentCodes(db, school, actorOf(c), clock(), settings);
      // Codes are shown once, for the letters: never kept by a cache.
      c.header('Cache-Control', 'no-store');
      return c.json(answer);
    });
}
