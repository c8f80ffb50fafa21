import { decodeInboxEntry, type InboxChild, type InboxMessage } from '@schoolping/shared';
import type { Doc } from 'yjs';
import { entriesOf } from './docs';
import { outboxEntries } from './outbox-view';

export interface InboxRow extends InboxMessage {
  /** When this parent read it: the server's time, or this device's while the read waits to sync. */
  readonly readAt: string | null;
}

/** Every message in this parent's inboxes (one per school year), newest first. */
export function inboxRows(inboxes: readonly Doc[], outbox: Doc | undefined): InboxRow[] {
  const readHere = new Map(
    outboxEntries(outbox, 'message-read').map((entry) => [
      entry.intent.payload.messageId,
      entry.intent.createdAt,
    ]),
  );
  const rows = new Map<string, InboxRow>();
  for (const inbox of inboxes) {
    const reads = entriesOf<string>(inbox, 'reads');
    for (const entry of entriesOf<unknown>(inbox, 'messages').values()) {
      const message = decodeInboxEntry(entry);
      if (!message) continue;
      rows.set(message.id, { ...message, readAt: reads.get(message.id) ?? readHere.get(message.id) ?? null });
    }
  }
  return [...rows.values()].sort((a, b) => (a.sentAt < b.sentAt ? 1 : a.sentAt > b.sentAt ? -1 : 0));
}

/** This parent's children, from the newest inbox that lists them. */
export function inboxChildren(inboxes: readonly Doc[]): InboxChild[] {
  for (const inbox of inboxes) {
    const children = entriesOf<InboxChild>(inbox, 'children');
    if (children.size > 0) return [...children.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  return [];
}
