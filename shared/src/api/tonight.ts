import { z } from 'zod/mini';

/** One change the daily run records: a pupil or contact joining, leaving, moving class or returning. */
export const rosterChangeSchema = z.object({
  day: z.string(),
  change: z.enum(['joined', 'left', 'moved', 'returned']),
  kind: z.enum(['pupil', 'contact']),
  misId: z.string(),
  /** `name`, and `class` for a join or leave, or `from` and `to` for a move. */
  detail: z.record(z.string(), z.nullable(z.string())),
});
export type RosterChange = z.infer<typeof rosterChangeSchema>;

/** GET /api/year-end/tonight: what the next 02:00 run will change, and when that was worked out. */
export const tonightSchema = z.object({
  runAt: z.string(),
  computedAt: z.string(),
  changes: z.array(rosterChangeSchema),
});
export type Tonight = z.infer<typeof tonightSchema>;
