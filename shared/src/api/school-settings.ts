import { z } from 'zod/mini';

/** The settings a school admin changes on the School settings screen (and `school-set`). */
export const schoolSettingsSchema = z.object({
  /** The MIS feed counts as late after this many hours without a good sync. */
  lateAfterHours: z.int().check(z.minimum(1), z.maximum(336)),
  /** School and payments admins must use an authenticator app. */
  adminMfaRequired: z.boolean(),
  /** Emails to parents carry the message itself, not only a pointer to it. */
  emailIncludesText: z.boolean(),
});
export type SchoolSettings = z.infer<typeof schoolSettingsSchema>;

/** POST /api/school/settings: any of them; what is left out stays as it is. */
export const schoolSettingsChangeSchema = z.partial(schoolSettingsSchema);
export type SchoolSettingsChange = z.infer<typeof schoolSettingsChangeSchema>;
