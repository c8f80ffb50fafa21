import {
  academicYearOf,
  DEFAULT_CONTACT_POLICY,
  encodeInboxEntry,
  encodeWalletEntry,
  type ContactPolicy,
  type DirectoryGroup,
  type DirectoryLink,
  type InboxChild,
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
import type { MessageRow, ReadModelSource, WalletWithBalance } from '../db/sync-store/store.ts';
import { walletFromRow } from '../db/wallet-rows.ts';

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

export function sentEntry(
  rows: ReadModelSource,
  schoolId: number,
  messageId: string,
  roster: RosterView,
): SentItem | null {
  const row = rows.liveMessage(schoolId, messageId);
  return row ? sentItem(row, roster, rows.recipientCount(schoolId, messageId)) : null;
}

export function inboxEntry(
  row: MessageRow & { readonly pupil_ids: string },
  roster: RosterView,
): InboxMessage {
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

function buildInbox(source: ReadModelSource, ydoc: Y.Doc, ref: DocRef, roster: RosterView): void {
  const rows = ref.owner === null ? [] : source.inboxRows(ref.schoolId, ref.owner);
  const messages = new Map<string, string>();
  const reads = new Map<string, string>();
  for (const row of rows) {
    if (academicYearAt(row.sent_at) !== ref.academicYear) continue;
    messages.set(row.id, encodeInboxEntry(inboxEntry(row, roster)));
    if (row.read_at !== null) reads.set(row.id, row.read_at);
  }
  syncMap(ydoc.getMap('messages'), messages);
  syncMap(ydoc.getMap('reads'), reads);
  const children = new Map<string, InboxChild>();
  for (const pupilId of ref.owner === null ? [] : (roster.contacts.get(ref.owner)?.pupilIds ?? [])) {
    const yearId = roster.pupils.get(pupilId)?.yearGroupId ?? null;
    children.set(pupilId, {
      ...childLabel(roster, pupilId),
      yearName: yearId === null ? null : (roster.groups.get(yearId)?.name ?? null),
    });
  }
  syncMap(ydoc.getMap('children'), children);
}

function buildSent(source: ReadModelSource, ydoc: Y.Doc, ref: DocRef, roster: RosterView): void {
  const rows = source.sentRows(ref.schoolId);
  syncMap(
    ydoc.getMap('messages'),
    new Map(rows.map((row) => [row.id, sentItem(row, roster, row.recipients)])),
  );
  syncMap(ydoc.getMap('readCounts'), new Map(rows.map((row) => [row.id, row.reads])));
}

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

/** The parent's own view: balance, children, dates and the last ten movements. */
export function parentWalletView(
  source: ReadModelSource,
  schoolId: number,
  row: WalletWithBalance,
  roster: RosterView,
): ParentWalletView {
  const wallet = walletFromRow(row);
  return {
    status: wallet.status,
    balance: row.balance as Pence,
    children: childrenOf(roster, wallet.contactId).map((pupilId) => childLabel(roster, pupilId)),
    closedOn: wallet.closed ? stampDate(wallet.closed) : null,
    settledOn: wallet.settled ? stampDate(wallet.settled) : null,
    refundDate: wallet.settled?.refundDate ?? null,
    recent: source.recentEntries(schoolId, wallet.id, 10).map((entry) => ({
      ...entry,
      amount: entry.amount as Pence,
    })),
  };
}

function buildDirectory(
  ydoc: Y.Doc,
  roster: RosterView,
  policy: ContactPolicy,
  applied: ReturnType<ReadModelSource['appliedStatuses']>,
  schoolName: string,
): void {
  const linksOf = new Map<string, DirectoryLink[]>();
  for (const { pupilId, ...link } of roster.links) {
    const links = linksOf.get(pupilId) ?? [];
    links.push(link);
    linksOf.set(pupilId, links);
  }
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
      links: linksOf.get(pupil.id) ?? [],
      sortKey: `${pupil.surname}\u0000${pupil.forename}`,
      applied: applied.statuses.get(`pupil:${pupil.id}`) ?? null,
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
      doNotContact: contact.doNotContact,
      applied: applied.statuses.get(`contact:${contact.id}`) ?? null,
    });
  }
  const groups = new Map<string, DirectoryGroup>();
  for (const group of roster.groups.values()) {
    groups.set(group.id, { id: group.id, name: group.name, kind: group.kind, pupilIds: group.pupilIds });
  }
  syncMap(ydoc.getMap('pupils'), pupils);
  syncMap(ydoc.getMap('contacts'), contacts);
  syncMap(ydoc.getMap('groups'), groups);
  const meta = ydoc.getMap('meta');
  if (meta.get('day') !== roster.day) meta.set('day', roster.day);
  if (meta.get('appliedDay') !== applied.day) meta.set('appliedDay', applied.day);
  if (meta.get('schoolName') !== schoolName) meta.set('schoolName', schoolName);
  if (JSON.stringify(meta.get('policy')) !== JSON.stringify(policy)) meta.set('policy', policy);
}

/** Brings a read model up to date with the tables, changing only what differs. */
export function buildReadModel(source: ReadModelSource, ydoc: Y.Doc, ref: DocRef, roster: RosterView): void {
  writeMeta(ydoc, ref);
  switch (ref.kind) {
    case 'directory':
      buildDirectory(
        ydoc,
        roster,
        DEFAULT_CONTACT_POLICY,
        source.appliedStatuses(ref.schoolId),
        source.school(ref.schoolId)?.name ?? '',
      );
      return;
    case 'sent':
      buildSent(source, ydoc, ref, roster);
      return;
    case 'payments':
      syncMap(
        ydoc.getMap('wallets'),
        new Map(
          source
            .walletRows(ref.schoolId)
            .map((row) => [row.id, encodeWalletEntry(paymentsWallet(row, roster))]),
        ),
      );
      return;
    case 'parent-inbox':
      buildInbox(source, ydoc, ref, roster);
      return;
    case 'parent-wallet': {
      const row = source.walletRows(ref.schoolId).find((each) => each.contact_id === ref.owner);
      const map = ydoc.getMap('wallet');
      if (row) map.set('view', parentWalletView(source, ref.schoolId, row, roster));
      return;
    }
    case 'outbox':
      return;
  }
}
