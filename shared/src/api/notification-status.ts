import { z } from 'zod/mini';

/** GET /api/notifications/status: whether parents are being told of new messages. */
export const noticeTotalsSchema = z.object({
  pending: z.int().check(z.nonnegative()),
  /** Pending notices that have failed at least once: the school should know. */
  failing: z.int().check(z.nonnegative()),
  pushed: z.int().check(z.nonnegative()),
  emailed: z.int().check(z.nonnegative()),
  unreached: z.int().check(z.nonnegative()),
  lastError: z.nullable(z.string()),
});
export type NoticeTotals = z.infer<typeof noticeTotalsSchema>;
