import { z } from 'zod/mini';

/** GET /api/messages/:id/recipients: who a message reached and when each read it. */
export const messageRecipientSchema = z.object({
  contactId: z.string(),
  name: z.string(),
  /** The children the message was about, by name. */
  children: z.array(z.string()),
  readAt: z.nullable(z.string()),
});
export type MessageRecipient = z.infer<typeof messageRecipientSchema>;

export const messageRecipientsSchema = z.object({ recipients: z.array(messageRecipientSchema) });
