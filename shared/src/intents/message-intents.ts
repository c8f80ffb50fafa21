import { resolveRecipients } from '../messages/recipients.ts';
import type { Stamp } from '../wallet/types.ts';
import type { IntentOf } from './schema.ts';
import { stampWords } from './stamp-words.ts';
import type { ApplyContext, Message, SchoolState } from './state.ts';
import { Rejection } from './verdict.ts';

export function applyMessageSend(
  state: SchoolState,
  intent: IntentOf<'message-send'>,
  ctx: ApplyContext,
  stamp: Stamp,
): SchoolState {
  const { messageId, subject, body, audience } = intent.payload;
  const existing = state.messages[messageId];
  if (existing) {
    if (existing.sent.intentId === intent.id) return state;
    throw new Rejection('duplicate-message', `A message with id ${messageId} was already sent.`, {
      messageId,
    });
  }
  const { recipients } = resolveRecipients(ctx.roster, audience, ctx.policy);
  if (recipients.length === 0) {
    throw new Rejection('no-recipients', `Nobody in that audience can be sent "${subject}".`, { messageId });
  }
  const message: Message = {
    id: messageId,
    subject,
    body,
    audience,
    recipientIds: recipients.map((recipient) => recipient.contactId),
    sent: stamp,
    deleted: null,
    reads: {},
  };
  return { ...state, messages: { ...state.messages, [messageId]: message } };
}

/** Delete every selected message or none; a deleted message keeps no subject or body. */
export function applyMessageDelete(
  state: SchoolState,
  intent: IntentOf<'message-delete'>,
  _ctx: ApplyContext,
  stamp: Stamp,
): SchoolState {
  const ids = [...new Set(intent.payload.messageIds)];
  const messages = ids.map((id) => {
    const message = state.messages[id];
    if (!message)
      throw new Rejection('unknown-message', `There is no message ${id} in Sent.`, { messageId: id });
    return message;
  });
  if (messages.every((message) => message.deleted?.intentId === intent.id)) return state;
  const already = messages.find((message) => message.deleted);
  if (already?.deleted) {
    throw new Rejection(
      'already-deleted',
      `A selected message was already deleted ${stampWords(already.deleted)}.`,
      {
        messageId: already.id,
      },
    );
  }
  const next = { ...state.messages };
  for (const message of messages) {
    next[message.id] = { ...message, subject: '', body: '', deleted: stamp };
  }
  return { ...state, messages: next };
}

export function applyMessageRead(
  state: SchoolState,
  intent: IntentOf<'message-read'>,
  ctx: ApplyContext,
  stamp: Stamp,
): SchoolState {
  const { messageId } = intent.payload;
  const message = state.messages[messageId];
  const contactId = ctx.actor.contactId;
  if (!message || message.deleted) {
    throw new Rejection('unknown-message', 'That message is no longer available.', { messageId });
  }
  if (contactId === null || !message.recipientIds.includes(contactId)) {
    throw new Rejection('not-a-recipient', 'That message was not sent to you.', { messageId });
  }
  if (message.reads[contactId] !== undefined) return state;
  const read: Message = { ...message, reads: { ...message.reads, [contactId]: stamp.at } };
  return { ...state, messages: { ...state.messages, [messageId]: read } };
}
