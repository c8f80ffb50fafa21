import { z } from 'zod/mini';
import { isIsoDate } from '../dates.ts';

/** GET /api/school/summary: what the first page shows. The server builds it, the PWA parses it. */
export const schoolSummarySchema = z.object({
  id: z.int(),
  name: z.string().check(z.minLength(1)),
  estab: z.string(),
  asOf: z.string().check(z.refine(isIsoDate)),
  counts: z.object({
    pupils: z.int().check(z.nonnegative()),
    contacts: z.int().check(z.nonnegative()),
    classes: z.int().check(z.nonnegative()),
  }),
});

export type SchoolSummary = z.infer<typeof schoolSummarySchema>;
