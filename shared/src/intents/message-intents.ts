import { resolveRecipients } from '../messages/recipients.ts';
import type { Stamp } from '../wallet/types.ts';
import type { Effect } from './effects.ts';
import type { IntentOf } from './schema.ts';
import { stampWords } from './stamp-words.ts';
import type { DecideContext, DecisionReads, SentMessage } from './state.ts';
import { Rejection } from './verdict.ts';

export function decideMessageSend(
  intent: IntentOf<'message-send'>,
  ctx: DecideContext,
  reads: DecisionReads,
  stamp: Stamp,
): Effect[] {
  const { messageId, subject, body, audience } = intent.payload;
  if (reads.message(messageId)) {
    throw new Rejection('duplicate-message', `A message with id ${messageId} was already sent.`, {
      messageId,
    });
  }
  const { recipients } = resolveRecipients(ctx.roster, audience, ctx.policy);
  if (recipients.length === 0) {
    throw new Rejection('no-recipients', `Nobody in that audience can be sent "${subject}".`, { messageId });
  }
  return [
    { kind: 'message-sent', message: { id: messageId, subject, body, audience, sent: stamp }, recipients },
  ];
}

/** Delete every selected message or none; a deleted message keeps no subject or body. */
export function decideMessageDelete(
  intent: IntentOf<'message-delete'>,
  ctx: DecideContext,
  reads: DecisionReads,
  stamp: Stamp,
): Effect[] {
  const ids = [...new Set(intent.payload.messageIds)];
  const messages: SentMessage[] = ids.map((id) => {
    const message = reads.message(id);
    if (!message)
      throw new Rejection('unknown-message', `There is no message ${id} in Sent.`, { messageId: id });
    return message;
  });
  const already = messages.find((message) => message.deleted);
  if (already?.deleted) {
    throw new Rejection(
      'already-deleted',
      `A selected message was already deleted ${stampWords(already.deleted)}.`,
      { messageId: already.id },
    );
  }
  // Staff tidy their own Sent; a school admin may tidy anyone's.
  const isAdmin = ctx.actor.roles.includes('school-admin');
  const others = messages.find((message) => message.sent.actorId !== ctx.actor.id);
  if (others && !isAdmin) {
    throw new Rejection(
      'not-permitted',
      `Only ${others.sent.actorName}, who sent it, or a school admin can delete a message they sent.`,
      { messageId: others.id },
    );
  }
  return [{ kind: 'messages-deleted', messageIds: ids, stamp }];
}

/** A parent's first read of a message sent to them; reading it again changes nothing. */
export function decideMessageRead(
  intent: IntentOf<'message-read'>,
  ctx: DecideContext,
  reads: DecisionReads,
  stamp: Stamp,
): Effect[] {
  const { messageId } = intent.payload;
  const message = reads.message(messageId);
  const contactId = ctx.actor.contactId;
  if (!message || message.deleted) {
    throw new Rejection('unknown-message', 'That message is no longer available.', { messageId });
  }
  const recipient = contactId === null ? null : reads.recipient(messageId, contactId);
  if (contactId === null || !recipient) {
    throw new Rejection('not-a-recipient', 'That message was not sent to you.', { messageId });
  }
  if (recipient.readAt !== null) return [];
  return [{ kind: 'message-read', messageId, contactId, at: stamp.at }];
}
