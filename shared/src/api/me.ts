import { z } from 'zod/mini';
import { ROLES } from '../auth/roles.ts';

/** GET /api/auth/me: who is signed in. The server builds it; the PWA parses and keeps it offline. */
export const meSchema = z.object({
  userId: z.int(),
  schoolId: z.int(),
  name: z.string(),
  email: z.string(),
  kind: z.enum(['staff', 'parent']),
  roles: z.readonly(z.array(z.enum(ROLES))),
  isReadOnly: z.boolean(),
  needsMfaSetup: z.boolean(),
  totpEnabled: z.boolean(),
  /** The session's absolute end, ISO 8601: the offline shell works until then and no longer. */
  sessionExpiresAt: z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)))),
  /**
   * The server's clock when it answered. Device clocks are often wrong (and a demo server may run
   * as of another date), so the PWA reads sessionExpiresAt as "this long after serverNow".
   */
  serverNow: z.string().check(z.refine((value) => !Number.isNaN(Date.parse(value)))),
  idleMinutes: z.number().check(z.positive()),
});

export type Me = z.infer<typeof meSchema>;
