import { z } from 'zod';
import { isIsoDate } from '../dates.ts';

/** GET /api/school/summary: what the first page shows. The server builds it, the PWA parses it. */
export const schoolSummarySchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  estab: z.string(),
  asOf: z.string().refine(isIsoDate),
  counts: z.object({
    pupils: z.number().int().nonnegative(),
    contacts: z.number().int().nonnegative(),
    classes: z.number().int().nonnegative(),
  }),
});

export type SchoolSummary = z.infer<typeof schoolSummarySchema>;
