import { z } from 'zod';
import { isIsoDate } from '../dates.ts';
import { audienceSchema } from '../messages/audience.ts';
import { MAX_WALLET_ENTRY_PENCE } from '../money.ts';

/*
 * Intents are what a person asked for, made on their device and appended to their outbox. They
 * cross the wire, so each has one schema: the server validates with it, the PWA infers its types.
 */

const id = z.string().min(1).max(100);

const isoDay = z.string().refine(isIsoDate, 'must be a calendar date, YYYY-MM-DD');

const payloads = {
  'wallet-close': z.object({ walletIds: z.array(id).min(1).max(1000) }),
  'wallet-settle': z.object({ walletId: id, refundDate: isoDay }),
  // Money taken in at the office (cash, a cheque) or spent (dinner money, a trip), in whole pence.
  'wallet-entry': z.object({
    walletId: id,
    kind: z.enum(['top-up', 'charge']),
    amount: z.number().int().positive().max(MAX_WALLET_ENTRY_PENCE),
    description: z.string().trim().min(1).max(200),
  }),
  'message-send': z.object({
    messageId: id,
    subject: z.string().trim().min(1).max(200),
    body: z.string().max(20_000),
    audience: audienceSchema,
  }),
  'message-delete': z.object({ messageIds: z.array(id).min(1).max(1000) }),
  'message-read': z.object({ messageId: id }),
} as const;

export const INTENT_TYPES = Object.keys(payloads) as (keyof typeof payloads)[];
export type IntentType = keyof typeof payloads;

const envelope = {
  id,
  author: id,
  device: id,
  /** The device's clock: shown to people, never used to order anything. */
  createdAt: z.iso.datetime({ offset: true }),
};

export const intentSchema = z.discriminatedUnion('type', [
  z.object({ ...envelope, type: z.literal('wallet-close'), payload: payloads['wallet-close'] }),
  z.object({ ...envelope, type: z.literal('wallet-settle'), payload: payloads['wallet-settle'] }),
  z.object({ ...envelope, type: z.literal('wallet-entry'), payload: payloads['wallet-entry'] }),
  z.object({ ...envelope, type: z.literal('message-send'), payload: payloads['message-send'] }),
  z.object({ ...envelope, type: z.literal('message-delete'), payload: payloads['message-delete'] }),
  z.object({ ...envelope, type: z.literal('message-read'), payload: payloads['message-read'] }),
]);

export type Intent = z.infer<typeof intentSchema>;
export type IntentOf<T extends IntentType> = Extract<Intent, { type: T }>;
