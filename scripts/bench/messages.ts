import 'fake-indexeddb/auto';
import {
  docName,
  effectiveDay,
  encodeInboxEntry,
  resolveRecipients,
  rosterOn,
  type InboxMessage,
} from '@schoolping/shared';
import * as Y from 'yjs';
import { loadRoster } from '../../server/src/db/school-store.ts';
import { openLocalDb } from '../../web/src/lib/local-db.ts';
import { inboxRows } from '../../web/src/lib/messages/inbox-view.ts';
import { previewRecipients, readDirectory } from '../../web/src/lib/messages/preview.ts';
import { measure, measureAsync, type SyncFigure } from './measure.ts';
import type { SyncSchool } from './sync-school.ts';

const ms = (value: number): string => `${value.toFixed(1)} ms`;

function message(index: number): InboxMessage {
  return {
    id: `m-${String(index).padStart(4, '0')}`,
    subject: `Notice ${index}: the week ahead`,
    body: 'Please read the note about the week ahead: clubs, trips and the lunch menu. '.repeat(4),
    senderName: 'Priya Chowdhury',
    sentAt: new Date(Date.UTC(2026, 8, 1) + index * 3_600_000).toISOString(),
    children: [{ pupilId: 'P1', name: 'Poppy Daley', className: '6 Ash' }],
  };
}

/**
 * A parent's phone opens a 1,000-message inbox with the network off: its stored Yjs updates read
 * from IndexedDB, applied to a Y.Doc and listed newest first, against reading the same messages
 * as plain rows from IndexedDB and sorting them.
 */
export async function inboxOpenOffline(): Promise<SyncFigure> {
  const { Dexie } = await import('dexie');
  await Promise.all([Dexie.delete('bench-inbox'), Dexie.delete('bench-plain')]);
  const local = openLocalDb('bench-inbox');
  const plain = new Dexie('bench-plain') as import('dexie').Dexie & {
    messages: import('dexie').EntityTable<InboxMessage & { readAt: string | null }, 'id'>;
  };
  plain.version(1).stores({ messages: 'id' });
  const messages = Array.from({ length: 1000 }, (_, index) => message(index));
  // As the server sends them: built in one go, then a message or a read at a time, 100 stored rows.
  const server = new Y.Doc();
  const updates: Uint8Array[] = [];
  server.on('update', (update: Uint8Array) => updates.push(update));
  server.transact(() => {
    for (const each of messages.slice(0, 901)) server.getMap('messages').set(each.id, encodeInboxEntry(each));
  });
  for (const each of messages.slice(901)) server.getMap('messages').set(each.id, encodeInboxEntry(each));
  for (const each of messages.slice(0, 600)) server.getMap('reads').set(each.id, each.sentAt);
  const name = 's1.inbox._43.2026';
  await local.docUpdates.bulkAdd([
    { doc: name, data: Y.mergeUpdates(updates.slice(0, -1)) },
    ...updates.slice(-1).map((data) => ({ doc: name, data })),
  ]);
  await plain.messages.bulkAdd(
    messages.map((each, index) => ({ ...each, readAt: index < 600 ? each.sentAt : null })),
  );

  const subject = await measureAsync(async () => {
    const rows = await local.docUpdates.where('doc').equals(name).sortBy('id');
    const doc = new Y.Doc();
    for (const row of rows) Y.applyUpdate(doc, row.data);
    const listed = inboxRows([doc], undefined);
    doc.destroy();
    return listed.length;
  }, 7);
  const baseline = await measureAsync(async () => {
    const rows = await plain.messages.toArray();
    return rows.sort((a, b) => (a.sentAt < b.sentAt ? 1 : -1)).length;
  }, 7);
  local.close();
  plain.close();
  return {
    name: 'opening a 1,000-message inbox offline',
    value: `${ms(subject.medianMs)} against ${ms(baseline.medianMs)} for a plain read`,
    ratio: subject.medianMs / baseline.medianMs,
    target: '≤ 2×',
    note: 'The inbox document read from IndexedDB (Dexie, in Node on fake-indexeddb), applied to a Y.Doc and listed newest first with read marks, against reading the same 1,000 messages as plain rows from a Dexie table and sorting them.',
  };
}

/**
 * The New message screen's preview for the whole 2,000-pupil school, worked out on the device
 * from the directory document, against the server resolving the same recipients from its roster.
 */
export function wholeSchoolPreview(school: SyncSchool): SyncFigure {
  const name = docName({ kind: 'directory', schoolId: school.school.id, owner: null, academicYear: null });
  school.open(school.staff, name);
  const directory = new Y.Doc();
  Y.applyUpdate(directory, school.engine.documents.state(name));
  const roster = rosterOn(loadRoster(school.db, school.school), effectiveDay(school.now));
  let parents = 0;
  const subject = measure(() => {
    const preview = previewRecipients(readDirectory(directory), { kind: 'school' });
    parents = preview.parents.length;
    return preview;
  }, 7);
  const baseline = measure(() => resolveRecipients(roster, { kind: 'school' }), 7);
  return {
    name: 'recipient preview for the whole 2,000-pupil school, on the device',
    value: `${ms(subject.medianMs)} for ${parents} parents, against ${ms(baseline.medianMs)}`,
    ratio: subject.medianMs / baseline.medianMs,
    target: 'measured',
    note: 'Read the directory document’s maps, resolve with the shared rule and name every parent and unreached pupil, sorted; the baseline is the server resolving the same audience from its roster view (no names).',
  };
}
