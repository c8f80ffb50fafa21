import type { DirectoryGroup, SentItem } from '@schoolping/shared';
import type { Doc } from 'yjs';
import { entriesOf } from './docs';
import { isPending, outboxEntries } from './outbox-view';

/** One row of Sent: a message the server holds, or one still waiting to be sent or deleted. */
export interface SentRow extends Omit<SentItem, 'recipientCount'> {
  /** Null while the send waits for the server, which works out the recipients. */
  readonly recipientCount: number | null;
  readonly readCount: number | null;
  /** `sending`: not yet accepted by the server; `deleting`: a delete waits to be accepted. */
  readonly state: 'sent' | 'sending' | 'deleting';
}

export function audienceWords(
  audience: { readonly kind: 'school' } | { readonly kind: 'groups'; readonly groupIds: readonly string[] },
  groups: ReadonlyMap<string, DirectoryGroup>,
): string {
  if (audience.kind === 'school') return 'Whole school';
  return audience.groupIds.map((id) => groups.get(id)?.name ?? id).join(', ');
}

/**
 * Sent, newest first: what the server's Sent document holds, with this person's sends still
 * waiting for the server shown as sending, and messages whose delete is waiting shown as deleting.
 */
export function sentRows(
  sent: Doc | undefined,
  outbox: Doc | undefined,
  groups: ReadonlyMap<string, DirectoryGroup>,
  me: { readonly userId: number; readonly name: string },
): SentRow[] {
  const readCounts = entriesOf<number>(sent, 'readCounts');
  const deleting = new Set(
    outboxEntries(outbox, 'message-delete')
      .filter(isPending)
      .flatMap((entry) => entry.intent.payload.messageIds),
  );
  const rows: SentRow[] = [];
  const held = entriesOf<SentItem>(sent, 'messages');
  for (const item of held.values()) {
    rows.push({
      ...item,
      recipientCount: item.recipientCount,
      readCount: readCounts.get(item.id) ?? 0,
      state: deleting.has(item.id) ? 'deleting' : 'sent',
    });
  }
  for (const { intent } of outboxEntries(outbox, 'message-send').filter(isPending)) {
    const { messageId, subject, body, audience } = intent.payload;
    if (held.has(messageId)) continue;
    rows.push({
      id: messageId,
      subject,
      body,
      audienceLabel: audienceWords(audience, groups),
      senderId: String(me.userId),
      senderName: me.name,
      sentAt: intent.createdAt,
      recipientCount: null,
      readCount: null,
      state: deleting.has(messageId) ? 'deleting' : 'sending',
    });
  }
  return rows.sort((a, b) => (a.sentAt < b.sentAt ? 1 : a.sentAt > b.sentAt ? -1 : a.id < b.id ? 1 : -1));
}
