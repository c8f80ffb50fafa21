import { z } from 'zod';

/**
 * Who a message is for: the whole school, or the pupils of some MIS groups (year groups, classes,
 * the MIS's other groups). It crosses the wire inside a send intent, so it has one schema.
 */
export const audienceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('school') }),
  z.object({
    kind: z.literal('groups'),
    groupIds: z.array(z.string().min(1).max(100)).min(1).max(200),
  }),
]);
export type Audience = z.infer<typeof audienceSchema>;
