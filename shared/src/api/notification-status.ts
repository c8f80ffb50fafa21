import { z } from 'zod';

/** GET /api/notifications/status: whether parents are being told of new messages. */
export const noticeTotalsSchema = z.object({
  pending: z.number().int().nonnegative(),
  /** Pending notices that have failed at least once: the school should know. */
  failing: z.number().int().nonnegative(),
  pushed: z.number().int().nonnegative(),
  emailed: z.number().int().nonnegative(),
  unreached: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
});
export type NoticeTotals = z.infer<typeof noticeTotalsSchema>;
