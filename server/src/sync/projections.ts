import {
  docName,
  encodeInboxEntry,
  encodeWalletEntry,
  type DocRef,
  type Effect,
  type RosterView,
  type Stamp,
  type Verdict,
} from '@schoolping/shared';
import type * as Y from 'yjs';
import type { SyncStore } from '../db/sync-store/store.ts';
import type { Documents, WriteSession } from './documents.ts';
import { academicYearAt, inboxEntry, parentWalletView, paymentsWallet, sentEntry } from './read-models.ts';

export interface ProjectionContext {
  readonly store: SyncStore;
  readonly schoolId: number;
  readonly roster: RosterView;
  readonly documents: Documents;
  readonly session: WriteSession;
}

const ref = (
  schoolId: number,
  kind: DocRef['kind'],
  owner: string | null = null,
  academicYear: number | null = null,
) => docName({ kind, schoolId, owner, academicYear });

/**
 * Carries accepted effects into the read models that exist. A document not yet built is left
 * alone: it is built whole from the tables the first time someone opens it.
 */
export function projectEffects(context: ProjectionContext, effects: readonly Effect[]): void {
  for (const effect of effects) projectEffect(context, effect);
}

function changeIfBuilt(context: ProjectionContext, doc: string, edit: (ydoc: Y.Doc) => void): boolean {
  if (!context.documents.exists(doc)) return false;
  context.session.change(doc, edit);
  return true;
}

function projectEffect(context: ProjectionContext, effect: Effect): void {
  const { store, schoolId, roster } = context;
  switch (effect.kind) {
    case 'message-sent': {
      const { message } = effect;
      const item = sentEntry(store, schoolId, message.id, roster);
      changeIfBuilt(context, ref(schoolId, 'sent'), (ydoc) => {
        if (item) ydoc.getMap('messages').set(message.id, item);
        ydoc.getMap('readCounts').set(message.id, 0);
      });
      const year = academicYearAt(message.sent.at);
      for (const recipient of effect.recipients) {
        const entry = encodeInboxEntry(
          inboxEntry(
            {
              id: message.id,
              subject: message.subject,
              body: message.body,
              audience: JSON.stringify(message.audience),
              sent: JSON.stringify(message.sent),
              sent_at: message.sent.at,
              pupil_ids: JSON.stringify(recipient.pupilIds),
            },
            roster,
          ),
        );
        context.session.addEntryIfBuilt(
          ref(schoolId, 'parent-inbox', recipient.contactId, year),
          'messages',
          message.id,
          entry,
        );
      }
      return;
    }
    case 'message-read': {
      const sentAt = store.messageStamp(schoolId, effect.messageId)?.sentAt;
      if (sentAt === undefined) return;
      changeIfBuilt(
        context,
        ref(schoolId, 'parent-inbox', effect.contactId, academicYearAt(sentAt)),
        (ydoc) => {
          ydoc.getMap('reads').set(effect.messageId, effect.at);
        },
      );
      const count = store.readCount(schoolId, effect.messageId);
      changeIfBuilt(context, ref(schoolId, 'sent'), (ydoc) => {
        ydoc.getMap('readCounts').set(effect.messageId, count);
      });
      return;
    }
    case 'messages-deleted':
      for (const messageId of effect.messageIds) removeMessage(context, messageId);
      return;
    case 'wallet-closed':
    case 'wallet-settled':
      projectWallet(context, effect.walletId);
      return;
    case 'ledger-entry':
      projectWallet(context, effect.entry.walletId);
      return;
  }
}

/** A deleted message leaves Sent, every inbox and its sender's outbox, and its words go for good. */
function removeMessage(context: ProjectionContext, messageId: string): void {
  const { store, schoolId, session } = context;
  const row = store.messageStamp(schoolId, messageId);
  if (!row) return;
  const sent = ref(schoolId, 'sent');
  if (
    changeIfBuilt(context, sent, (ydoc) => {
      ydoc.getMap('messages').delete(messageId);
      ydoc.getMap('readCounts').delete(messageId);
    })
  ) {
    session.compactAfter(sent);
  }
  const year = academicYearAt(row.sentAt);
  for (const contactId of store.recipientsOf(schoolId, messageId)) {
    const inbox = ref(schoolId, 'parent-inbox', contactId, year);
    const changed = changeIfBuilt(context, inbox, (ydoc) => {
      ydoc.getMap('messages').delete(messageId);
      ydoc.getMap('reads').delete(messageId);
    });
    if (changed) session.compactAfter(inbox);
  }
  // The sender's own copy of what they asked for holds the words too.
  const stamp = JSON.parse(row.sent) as Stamp;
  const outbox = ref(schoolId, 'outbox', stamp.actorId);
  const changed = changeIfBuilt(context, outbox, (ydoc) => {
    const intents = ydoc.getMap<unknown>('intents');
    const intent = intents.get(stamp.intentId);
    if (isSendIntent(intent)) {
      intents.set(stamp.intentId, { ...intent, payload: { ...intent.payload, subject: '', body: '' } });
    }
  });
  if (changed) session.compactAfter(outbox);
}

function isSendIntent(
  value: unknown,
): value is { payload: Record<string, unknown> } & Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const payload = (value as { payload?: unknown }).payload;
  return typeof payload === 'object' && payload !== null;
}

function projectWallet(context: ProjectionContext, walletId: string): void {
  const { store, schoolId, roster } = context;
  const [row] = store.walletRows(schoolId, walletId);
  if (!row) return;
  changeIfBuilt(context, ref(schoolId, 'payments'), (ydoc) => {
    ydoc.getMap('wallets').set(walletId, encodeWalletEntry(paymentsWallet(row, roster)));
  });
  changeIfBuilt(context, ref(schoolId, 'parent-wallet', row.contact_id), (ydoc) => {
    ydoc.getMap('wallet').set('view', parentWalletView(store, schoolId, row, roster));
  });
}

/** The server's answer to each intent, in its author's outbox. */
export function writeVerdicts(
  context: ProjectionContext,
  outbox: string,
  verdicts: readonly Verdict[],
): void {
  if (verdicts.length === 0) return;
  context.session.change(outbox, (ydoc) => {
    const map = ydoc.getMap('verdicts');
    for (const verdict of verdicts) if (!map.has(verdict.intentId)) map.set(verdict.intentId, verdict);
  });
}
