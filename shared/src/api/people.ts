import { z } from 'zod/mini';

/** GET /api/people: the school's staff accounts, and its parents with where they are in activating. */
export const peopleSchema = z.object({
  staff: z.array(
    z.object({
      id: z.int(),
      name: z.string(),
      email: z.string(),
      roles: z.array(z.string()),
      activated: z.boolean(),
      lastSignInAt: z.nullable(z.string()),
      liveSessions: z.int(),
    }),
  ),
  parents: z.array(
    z.object({
      contactId: z.string(),
      name: z.string(),
      email: z.nullable(z.string()),
      children: z.array(z.string()),
      /** activated; invited (a code is live); not-invited (no account yet, or its code ran out). */
      state: z.enum(['activated', 'invited', 'not-invited']),
    }),
  ),
});
export type People = z.infer<typeof peopleSchema>;

/** The roles a staff account may have (STAFF_ROLES in auth/policy.ts). */
const staffRoles = z.array(z.enum(['staff', 'payments-admin', 'school-admin'])).check(z.minLength(1));

/** POST /api/people/staff: a new staff account; the answer holds its one-time activation code. */
export const addStaffRequestSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  email: z
    .string()
    .check(z.trim(), z.maxLength(254), z.regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an email address')),
  roles: staffRoles,
});

/** The answer to POST /api/people/staff: the code is shown this once. */
export const addStaffAnswerSchema = z.object({ userId: z.int(), code: z.string(), validDays: z.int() });
export type AddStaffAnswer = z.infer<typeof addStaffAnswerSchema>;

/** POST /api/people/staff/:id/roles */
export const changeRolesRequestSchema = z.object({ roles: staffRoles });

/** The one-time activation codes issued for letters: shown once, never stored in the clear. */
export const parentCodesSchema = z.object({
  expiresOn: z.string(),
  codes: z.array(z.object({ contactId: z.string(), name: z.string(), email: z.string(), code: z.string() })),
});
export type ParentCodes = z.infer<typeof parentCodesSchema>;
