import {
  academicYearOf,
  DOC_SHAPE_VERSION,
  londonDate,
  stampDate,
  type Audience,
  type ChildLabel,
  type DirectoryContact,
  type DirectoryPupil,
  type DocRef,
  type InboxMessage,
  type ParentWalletView,
  type Pence,
  type PaymentsWallet,
  type RosterView,
  type SentItem,
  type Stamp,
} from '@schoolping/shared';
import type * as Y from 'yjs';
import type { Db } from '../db/database.ts';
import { walletFromRow, type WalletRow } from '../db/wallet-rows.ts';

/*
 * Read models built from the authoritative tables. A document is built whole the first time it is
 * opened; after that the projections change only what an intent or an ingest changed.
 */

export function writeMeta(ydoc: Y.Doc, ref: DocRef): void {
  const meta = ydoc.getMap('meta');
  if (meta.get('version') !== DOC_SHAPE_VERSION) meta.set('version', DOC_SHAPE_VERSION);
  if (meta.get('kind') !== ref.kind) meta.set('kind', ref.kind);
}

/** Sets each entry that differs and deletes the ones no longer there: a rebuild costs only its changes. */
export function syncMap<T>(map: Y.Map<unknown>, entries: ReadonlyMap<string, T>): void {
  for (const key of [...map.keys()]) if (!entries.has(key)) map.delete(key);
  for (const [key, value] of entries) {
    if (JSON.stringify(map.get(key)) !== JSON.stringify(value)) map.set(key, value);
  }
}

export function childLabel(roster: RosterView, pupilId: string): ChildLabel {
  const pupil = roster.pupils.get(pupilId) ?? roster.joining.get(pupilId);
  const classId = roster.pupils.get(pupilId)?.registrationGroupId ?? null;
  return {
    pupilId,
    name: pupil ? `${pupil.forename} ${pupil.surname}` : 'a child no longer listed',
    className: classId === null ? null : (roster.groups.get(classId)?.name ?? null),
  };
}

export function audienceLabel(roster: RosterView, audience: Audience): string {
  if (audience.kind === 'school') return 'Whole school';
  return audience.groupIds.map((id) => roster.groups.get(id)?.name ?? id).join(', ');
}

interface MessageRow {
  id: string;
  subject: string;
  body: string;
  audience: string;
  sent: string;
  sent_at: string;
}

function sentItem(row: MessageRow, roster: RosterView, recipientCount: number): SentItem {
  const sent = JSON.parse(row.sent) as Stamp;
  return {
    id: row.id,
    subject: row.subject,
    body: row.body,
    audienceLabel: audienceLabel(roster, JSON.parse(row.audience) as Audience),
    senderId: sent.actorId,
    senderName: sent.actorName,
    sentAt: row.sent_at,
    recipientCount,
  };
}

export function sentEntry(db: Db, schoolId: number, messageId: string, roster: RosterView): SentItem | null {
  const row = db
    .prepare(
      'SELECT id, subject, body, audience, sent, sent_at FROM messages WHERE school_id = ? AND id = ? AND deleted IS NULL',
    )
    .get(schoolId, messageId) as MessageRow | undefined;
  return row ? sentItem(row, roster, recipientCount(db, schoolId, messageId)) : null;
}

export function readCount(db: Db, schoolId: number, messageId: string): number {
  return db
    .prepare(
      'SELECT COUNT(*) FROM message_recipients WHERE school_id = ? AND message_id = ? AND read_at IS NOT NULL',
    )
    .pluck()
    .get(schoolId, messageId) as number;
}

function recipientCount(db: Db, schoolId: number, messageId: string): number {
  return db
    .prepare('SELECT COUNT(*) FROM message_recipients WHERE school_id = ? AND message_id = ?')
    .pluck()
    .get(schoolId, messageId) as number;
}

export function inboxEntry(row: MessageRow & { pupil_ids: string }, roster: RosterView): InboxMessage {
  const sent = JSON.parse(row.sent) as Stamp;
  return {
    id: row.id,
    subject: row.subject,
    body: row.body,
    senderName: sent.actorName,
    sentAt: row.sent_at,
    children: (JSON.parse(row.pupil_ids) as string[]).map((pupilId) => childLabel(roster, pupilId)),
  };
}

/** The academic year (its September) an instant falls in, by London date. */
export function academicYearAt(at: string): number {
  return academicYearOf(londonDate(new Date(at)));
}

function buildInbox(db: Db, ydoc: Y.Doc, ref: DocRef, roster: RosterView): void {
  const rows = db
    .prepare(
      `SELECT m.id, m.subject, m.body, m.audience, m.sent, m.sent_at, r.pupil_ids, r.read_at
       FROM message_recipients r JOIN messages m ON m.school_id = r.school_id AND m.id = r.message_id
       WHERE r.school_id = ? AND r.contact_id = ? AND m.deleted IS NULL ORDER BY m.sent_at`,
    )
    .all(ref.schoolId, ref.owner) as (MessageRow & { pupil_ids: string; read_at: string | null })[];
  const messages = new Map<string, InboxMessage>();
  const reads = new Map<string, string>();
  for (const row of rows) {
    if (academicYearAt(row.sent_at) !== ref.academicYear) continue;
    messages.set(row.id, inboxEntry(row, roster));
    if (row.read_at !== null) reads.set(row.id, row.read_at);
  }
  syncMap(ydoc.getMap('messages'), messages);
  syncMap(ydoc.getMap('reads'), reads);
}

function buildSent(db: Db, ydoc: Y.Doc, ref: DocRef, roster: RosterView): void {
  const rows = db
    .prepare(
      `SELECT m.id, m.subject, m.body, m.audience, m.sent, m.sent_at,
              COUNT(r.contact_id) AS recipients, COUNT(r.read_at) AS reads
       FROM messages m LEFT JOIN message_recipients r ON r.school_id = m.school_id AND r.message_id = m.id
       WHERE m.school_id = ? AND m.deleted IS NULL GROUP BY m.id ORDER BY m.sent_at`,
    )
    .all(ref.schoolId) as (MessageRow & { recipients: number; reads: number })[];
  syncMap(
    ydoc.getMap('messages'),
    new Map(rows.map((row) => [row.id, sentItem(row, roster, row.recipients)])),
  );
  syncMap(ydoc.getMap('readCounts'), new Map(rows.map((row) => [row.id, row.reads])));
}

interface WalletWithBalance extends WalletRow {
  readonly balance: number;
}

const WALLET_SELECT = `SELECT w.id, w.contact_id, w.status, w.closed, w.settled,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.school_id = w.school_id AND e.wallet_id = w.id) AS balance
  FROM wallets w WHERE w.school_id = ?`;

function childrenOf(roster: RosterView, contactId: string): string[] {
  const contact = roster.contacts.get(contactId);
  return contact ? [...contact.pupilIds, ...contact.joiningPupilIds] : [];
}

export function paymentsWallet(row: WalletWithBalance, roster: RosterView): PaymentsWallet {
  const wallet = walletFromRow(row);
  const contact = roster.contacts.get(wallet.contactId);
  return {
    id: wallet.id,
    contactId: wallet.contactId,
    ownerName: contact ? `${contact.forename} ${contact.surname}` : `Contact ${wallet.contactId}`,
    children: childrenOf(roster, wallet.contactId).map((pupilId) => {
      const pupil = roster.pupils.get(pupilId);
      return {
        ...childLabel(roster, pupilId),
        status: pupil?.status ?? 'active',
        leavingDate: pupil?.leavingDate ?? null,
      };
    }),
    status: wallet.status,
    balance: row.balance as Pence,
    closedAt: wallet.closed?.at ?? null,
    closedBy: wallet.closed?.actorName ?? null,
    settledAt: wallet.settled?.at ?? null,
    settledBy: wallet.settled?.actorName ?? null,
    refundDate: wallet.settled?.refundDate ?? null,
    refunded: wallet.settled?.refunded ?? null,
  };
}

export function parentWalletView(row: WalletWithBalance, roster: RosterView): ParentWalletView {
  const wallet = walletFromRow(row);
  return {
    status: wallet.status,
    balance: row.balance as Pence,
    children: childrenOf(roster, wallet.contactId).map((pupilId) => childLabel(roster, pupilId)),
    closedOn: wallet.closed ? stampDate(wallet.closed) : null,
    settledOn: wallet.settled ? stampDate(wallet.settled) : null,
    refundDate: wallet.settled?.refundDate ?? null,
  };
}

export function walletRows(db: Db, schoolId: number, walletId?: string): WalletWithBalance[] {
  if (walletId === undefined)
    return db.prepare(`${WALLET_SELECT} ORDER BY w.id`).all(schoolId) as WalletWithBalance[];
  return db.prepare(`${WALLET_SELECT} AND w.id = ?`).all(schoolId, walletId) as WalletWithBalance[];
}

function buildDirectory(ydoc: Y.Doc, roster: RosterView): void {
  const groupName = (id: string | null): string | null =>
    id === null ? null : (roster.groups.get(id)?.name ?? null);
  const pupils = new Map<string, DirectoryPupil>();
  for (const pupil of roster.pupils.values()) {
    pupils.set(pupil.id, {
      id: pupil.id,
      name: `${pupil.forename} ${pupil.surname}`,
      status: pupil.status,
      className: groupName(pupil.registrationGroupId),
      yearName: groupName(pupil.yearGroupId),
      leavingDate: pupil.leavingDate,
    });
  }
  const contacts = new Map<string, DirectoryContact>();
  for (const contact of roster.contacts.values()) {
    contacts.set(contact.id, {
      id: contact.id,
      name: `${contact.forename} ${contact.surname}`,
      status: contact.status,
      pupilIds: contact.pupilIds,
      joiningPupilIds: contact.joiningPupilIds,
    });
  }
  syncMap(ydoc.getMap('pupils'), pupils);
  syncMap(ydoc.getMap('contacts'), contacts);
  ydoc.getMap('meta').set('day', roster.day);
}

/** Brings a read model up to date with the tables, changing only what differs. */
export function buildReadModel(db: Db, ydoc: Y.Doc, ref: DocRef, roster: RosterView): void {
  writeMeta(ydoc, ref);
  switch (ref.kind) {
    case 'directory':
      buildDirectory(ydoc, roster);
      return;
    case 'sent':
      buildSent(db, ydoc, ref, roster);
      return;
    case 'payments':
      syncMap(
        ydoc.getMap('wallets'),
        new Map(walletRows(db, ref.schoolId).map((row) => [row.id, paymentsWallet(row, roster)])),
      );
      return;
    case 'parent-inbox':
      buildInbox(db, ydoc, ref, roster);
      return;
    case 'parent-wallet': {
      const row = walletRows(db, ref.schoolId).find((each) => each.contact_id === ref.owner);
      const map = ydoc.getMap('wallet');
      if (row) map.set('view', parentWalletView(row, roster));
      return;
    }
    case 'outbox':
      return;
  }
}
