import { docName, step1Message, type Principal } from '@schoolping/shared';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { DEFAULT_IDENTITY } from '../../server/src/auth/settings.ts';
import { SESSION_COOKIE, startSession } from '../../server/src/auth/sessions.ts';
import { createUser } from '../../server/src/auth/users.ts';
import { loadRoster } from '../../server/src/db/school-store.ts';
import { sqliteSyncStore } from '../../server/src/db/sync-store/sqlite.ts';
import { decideOnce } from '../../server/src/intents/decide-once.ts';
import { RosterCache } from '../../server/src/intents/roster-cache.ts';
import { measure, measureAsync, type SyncFigure } from './measure.ts';
import { inboxOpenOffline, wholeSchoolPreview } from './messages.ts';
import { manageWalletsFigures } from './payments.ts';
import { parents, syncSchool, type SyncSchool } from './sync-school.ts';

const BODY =
  'Dear parents and carers, a reminder that school closes at 1:30pm on Friday for staff training. '.repeat(3);

export async function syncFigures(): Promise<SyncFigure[]> {
  const school = syncSchool();
  const figures = [
    await coldDirectory(school),
    await classMessageStorage(school),
    await wholeSchoolFanOut(school),
    intentsPerSecond(school),
    await schoolYear(),
    await inboxOpenOffline(),
    wholeSchoolPreview(school),
    ...(await manageWalletsFigures()),
  ];
  return figures;
}

/** The directory of the 2,000-pupil school, synced from nothing over a compressed socket. */
async function coldDirectory(school: SyncSchool): Promise<SyncFigure> {
  const name = docName({ kind: 'directory', schoolId: school.school.id, owner: null, academicYear: null });
  school.open(school.staff, name);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, school.engine.documents.state(name));
  const json = JSON.stringify({
    pupils: doc.getMap('pupils').toJSON(),
    contacts: doc.getMap('contacts').toJSON(),
  });
  const user = school.teacher.user;
  const session = startSession(school.db, user, school.now, DEFAULT_IDENTITY, {
    userAgent: 'bench',
    needsMfaSetup: false,
  });
  const server = await school.listen();
  const wire = await new Promise<number>((resolve, reject) => {
    const socket = new WebSocket(`ws://${server.url}/sync/${name}`, {
      perMessageDeflate: true,
      headers: { cookie: `${SESSION_COOKIE}=${session.id}`, origin: `http://${server.url}` },
    });
    // The TCP socket under the WebSocket: only its byte count is read.
    const raw = (): { bytesRead: number } =>
      (socket as unknown as { _socket: { bytesRead: number } })._socket;
    let atOpen = 0;
    socket.on('open', () => {
      atOpen = raw().bytesRead;
      socket.send(step1Message(Y.encodeStateVector(new Y.Doc())));
    });
    socket.on('message', (data: Buffer) => {
      // The server's step 1 is a few bytes; step 2 carries the document.
      if (data.length > 100) {
        const bytes = raw().bytesRead - atOpen;
        socket.close();
        resolve(bytes);
      }
    });
    socket.on('error', reject);
  });
  await server.close();
  const ratio = wire / Buffer.byteLength(json);
  return {
    name: 'cold sync of the directory, 2,000-pupil school',
    value: `${kb(wire)} on the wire for ${kb(Buffer.byteLength(json))} of JSON`,
    ratio,
    target: '≤ 0.4×',
    note: `${doc.getMap('pupils').size} pupils and ${doc.getMap('contacts').size} contacts, step 1 to step 2 over /sync/<document> with permessage-deflate, counted on the client's TCP socket.`,
  };
}

function storedBytes(school: SyncSchool): number {
  const { db } = school;
  const docs = db.prepare('SELECT COALESCE(SUM(length(data)), 0) FROM doc_updates').pluck().get() as number;
  const messages = db
    .prepare(
      'SELECT COALESCE(SUM(length(id) + length(subject) + length(body) + length(audience) + length(sent) + length(sent_at)), 0) FROM messages',
    )
    .pluck()
    .get() as number;
  const recipients = db
    .prepare(
      'SELECT COALESCE(SUM(length(message_id) + length(contact_id) + length(pupil_ids) + 8), 0) FROM message_recipients',
    )
    .pluck()
    .get() as number;
  return docs + messages + recipients;
}

/** One message to one class: what it adds to the data folder, per parent it reaches. */
async function classMessageStorage(school: SyncSchool): Promise<SyncFigure> {
  const roster = loadRoster(school.db, school.school);
  const group = roster.groups.find((each) => each.kind === 'registration');
  if (!group) throw new Error('the school has classes');
  const year = 2026;
  const inClass = new Set(
    roster.memberships.filter((each) => each.groupId === group.id).map((each) => each.pupilId),
  );
  const contacts = new Set(
    roster.links
      .filter((link) => inClass.has(link.pupilId) && link.parentalResponsibility)
      .map((link) => link.contactId),
  );
  for (const contactId of contacts) {
    school.open(
      parentPrincipal(school, contactId),
      docName({ kind: 'parent-inbox', schoolId: school.school.id, owner: contactId, academicYear: year }),
    );
  }
  school.open(
    school.staff,
    docName({ kind: 'sent', schoolId: school.school.id, owner: null, academicYear: null }),
  );
  const before = storedBytes(school);
  await school.send({
    messageId: 'class-1',
    subject: 'Early closing on Friday',
    body: BODY,
    audience: { kind: 'groups', groupIds: [group.id] },
  });
  const added = storedBytes(school) - before;
  const reached = school.db
    .prepare("SELECT COUNT(*) FROM message_recipients WHERE message_id = 'class-1'")
    .pluck()
    .get() as number;
  const perRecipient = added / reached;
  return {
    name: 'one message to one class, stored bytes per recipient',
    value: `${perRecipient.toFixed(0)} B per recipient (${reached} recipients, body ${Buffer.byteLength(BODY)} B)`,
    ratio: perRecipient / (Buffer.byteLength(BODY) + 300),
    target: '≤ 2× (body + 300 B)',
    note: 'Everything the send adds: the message row, one row per recipient, the update appended to each recipient’s inbox, Sent and the outbox (verdict and intent).',
  };
}

function parentPrincipal(school: SyncSchool, contactId: string): Principal {
  return { userId: 2_000_000, schoolId: school.school.id, roles: ['parent'], contactId, isReadOnly: false };
}

/** A message to the whole school, fanned out to every parent's inbox and committed. */
async function wholeSchoolFanOut(school: SyncSchool): Promise<SyncFigure> {
  const everyone = parents(school);
  for (const parent of everyone) {
    school.open(
      parent,
      docName({
        kind: 'parent-inbox',
        schoolId: school.school.id,
        owner: parent.contactId,
        academicYear: 2026,
      }),
    );
  }
  let sends = 0;
  const subject = await measureAsync(
    () =>
      school.send({
        messageId: `all-${++sends}`,
        subject: 'Snow closure',
        body: BODY,
        audience: { kind: 'school' },
      }),
    3,
  );
  const recipients = school.db
    .prepare("SELECT COUNT(*) FROM message_recipients WHERE message_id = 'all-1'")
    .pluck()
    .get() as number;
  const updateBytes = Math.round(
    (school.db
      .prepare("SELECT AVG(length(data)) FROM doc_updates WHERE doc LIKE '%.inbox.%'")
      .pluck()
      .get() as number) || 200,
  );
  const insertMessage = school.db.prepare(
    "INSERT INTO messages (school_id, id, subject, body, audience, sent, sent_at) VALUES (?, ?, 'Snow closure', ?, '{\"kind\":\"school\"}', '{}', '2026-11-10')",
  );
  const insertRecipient = school.db.prepare(
    'INSERT INTO message_recipients (school_id, message_id, contact_id, pupil_ids) VALUES (?, ?, ?, ?)',
  );
  const insertUpdate = school.db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
  const insertNotice = school.db.prepare(
    "INSERT INTO notifications (school_id, message_id, contact_id, next_at) VALUES (?, ?, ?, '2026-11-10')",
  );
  const bytes = new Uint8Array(updateBytes);
  let baselines = 0;
  const baseline = measure(() => {
    const id = `plain-${++baselines}`;
    school.db.transaction(() => {
      insertMessage.run(school.school.id, id, BODY);
      everyone.forEach((parent, index) => {
        insertRecipient.run(school.school.id, id, parent.contactId, '[]');
        insertNotice.run(school.school.id, id, parent.contactId);
        insertUpdate.run(`bench-plain-${index}`, bytes);
      });
    })();
  }, 3);
  return {
    name: 'a message to the whole 2,000-pupil school, fanned out and committed',
    value: `${ms(subject.medianMs)} against ${ms(baseline.medianMs)} for ${recipients} recipients`,
    ratio: subject.medianMs / baseline.medianMs,
    target: '≤ 5×',
    note: 'The send through the outbox: the reducer resolves recipients, the message and a row per recipient are written, and each recipient’s inbox (all built beforehand) gets an update, all in one transaction. The baseline inserts the same rows (a message, a recipient row, a queued notification and an update of the same size per inbox) in one transaction.',
  };
}

/** Parents’ reads decided one transaction each through SQLite, against plain inserts of the same rows. */
function intentsPerSecond(school: SyncSchool): SyncFigure {
  const { db } = school;
  const store = sqliteSyncStore(db);
  const rosters = new RosterCache();
  const readers = (
    db
      .prepare("SELECT contact_id FROM message_recipients WHERE message_id = 'all-1' LIMIT 2000")
      .pluck()
      .all() as string[]
  ).map((contactId, index) => {
    const user = createUser(
      db,
      {
        schoolId: school.school.id,
        kind: 'parent',
        misId: contactId,
        email: `reader${index}@example.org`,
        name: `Reader ${index}`,
        roles: ['parent'],
      },
      school.now,
    );
    return {
      userId: user.id,
      actor: { id: String(user.id), name: user.name, roles: user.roles, contactId, isReadOnly: false },
    };
  });
  let round = 0;
  const subject = measure(() => {
    round++;
    const message = `all-${Math.min(round, 3)}`;
    for (const [index, reader] of readers.entries()) {
      const intent = {
        id: `read-${round}-${index}`,
        author: reader.actor.id,
        device: 'bench',
        createdAt: school.now.toISOString(),
        type: 'message-read' as const,
        payload: { messageId: message },
      };
      store.transaction(() =>
        decideOnce(store, school.school, reader, intent, { now: school.now, rosters, log: () => undefined }),
      );
    }
  }, 3);
  const insert = db.prepare(
    "INSERT INTO intents (school_id, id, seq, user_id, type, verdict, decided_at) VALUES (?, ?, ?, ?, 'message-read', '{}', '2026-11-10')",
  );
  const markRead = db.prepare(
    'UPDATE message_recipients SET read_at = ? WHERE school_id = ? AND message_id = ? AND contact_id = ?',
  );
  let plainRound = 0;
  let seq = 10_000_000;
  const baseline = measure(() => {
    plainRound++;
    for (const [index, reader] of readers.entries()) {
      db.transaction(() => {
        insert.run(school.school.id, `plain-read-${plainRound}-${index}`, ++seq, reader.userId);
        markRead.run('2026-11-10', school.school.id, 'all-3', reader.actor.contactId);
      })();
    }
  }, 3);
  const perSecond = (readers.length / subject.medianMs) * 1000;
  return {
    name: 'intents decided per second through SQLite',
    value: `${perSecond.toFixed(0)} per second (${readers.length} reads, ${ms(subject.medianMs)}; plain inserts ${ms(baseline.medianMs)})`,
    ratio: subject.medianMs / baseline.medianMs,
    target: 'measured',
    note: 'Parents’ message-read intents, each decided by the shared reducer and written in its own transaction, against inserting the same intent row and marking the same recipient row read, also one transaction each.',
  };
}

/** A class's year of sends, reads and deletes, and what stays stored against what is live. */
async function schoolYear(): Promise<SyncFigure> {
  const school = syncSchool();
  const roster = loadRoster(school.db, school.school);
  const group = roster.groups.find((each) => each.kind === 'registration');
  if (!group) throw new Error('the school has classes');
  const inClass = new Set(
    roster.memberships.filter((each) => each.groupId === group.id).map((each) => each.pupilId),
  );
  const contacts = [
    ...new Set(
      roster.links
        .filter((link) => inClass.has(link.pupilId) && link.parentalResponsibility)
        .map((link) => link.contactId),
    ),
  ];
  const inboxes = contacts.map((contactId) =>
    docName({ kind: 'parent-inbox', schoolId: school.school.id, owner: contactId, academicYear: 2026 }),
  );
  contacts.forEach((contactId, index) => {
    school.open(parentPrincipal(school, contactId), inboxes[index] ?? '');
  });
  const sentDoc = docName({ kind: 'sent', schoolId: school.school.id, owner: null, academicYear: null });
  school.open(school.staff, sentDoc);
  const store = sqliteSyncStore(school.db);
  const rosters = new RosterCache();
  const readers = contacts.map((contactId, index) => {
    const user = createUser(
      school.db,
      {
        schoolId: school.school.id,
        kind: 'parent',
        misId: contactId,
        email: `year${index}@example.org`,
        name: `Parent ${index}`,
        roles: ['parent'],
      },
      school.now,
    );
    return {
      userId: user.id,
      actor: { id: String(user.id), name: user.name, roles: user.roles, contactId, isReadOnly: false },
    };
  });
  const engine = school.engine;
  const outbox = docName({
    kind: 'outbox',
    schoolId: school.school.id,
    owner: String(school.teacher.user.id),
    academicYear: null,
  });
  const outboxRef = engine.open(school.staff, outbox);
  if (!outboxRef.ok) throw new Error('the teacher opens their outbox');
  for (let day = 1; day <= 190; day++) {
    await school.send({
      messageId: `day-${day}`,
      subject: `Day ${day}`,
      body: BODY,
      audience: { kind: 'groups', groupIds: [group.id] },
    });
    // Most parents read it; reads reach the inbox and Sent through the same path.
    readers.forEach((reader, index) => {
      if ((index + day) % 5 === 0) return;
      const intent = {
        id: `year-read-${day}-${index}`,
        author: reader.actor.id,
        device: 'bench',
        createdAt: school.now.toISOString(),
        type: 'message-read' as const,
        payload: { messageId: `day-${day}` },
      };
      store.transaction(() =>
        decideOnce(store, school.school, reader, intent, {
          now: school.now,
          rosters,
          log: () => undefined,
        }),
      );
    });
    if (day % 30 === 0) {
      // Tidying Sent: the month's older messages go.
      const old = Array.from({ length: 20 }, (_, index) => `day-${day - 29 + index}`);
      const updates: Uint8Array[] = [];
      const device = new Y.Doc();
      Y.applyUpdate(device, engine.documents.state(outbox));
      device.on('update', (update: Uint8Array) => updates.push(update));
      device.getMap('intents').set(`delete-${day}`, {
        id: `delete-${day}`,
        author: String(school.teacher.user.id),
        device: 'bench',
        createdAt: school.now.toISOString(),
        type: 'message-delete',
        payload: { messageIds: old },
      });
      await engine.receiveUpdate(school.teacher, outbox, outboxRef.ref, Y.mergeUpdates(updates));
    }
  }
  // Reads went straight to the tables here; the read models catch up when next opened.
  for (const name of [...inboxes, sentDoc]) engine.refresh(name);
  const docs = [...inboxes, sentDoc, outbox];
  let stored = 0;
  let fresh = 0;
  for (const name of docs) {
    stored += engine.documents.store.updates(name).reduce((sum, update) => sum + update.length, 0);
    const live = new Y.Doc();
    Y.applyUpdate(live, engine.documents.state(name));
    const copy = new Y.Doc();
    for (const key of ['meta', 'messages', 'reads', 'readCounts', 'intents', 'verdicts']) {
      const source = live.getMap(key);
      const target = copy.getMap(key);
      for (const [entry, value] of source) target.set(entry, value);
    }
    fresh += Y.encodeStateAsUpdate(copy).length;
  }
  return {
    name: 'a simulated school year of sends, reads and deletes',
    value: `${kb(stored)} stored for ${kb(fresh)} live`,
    ratio: stored / fresh,
    target: '≤ 1.5×',
    note: `One class (${contacts.length} parents): 190 days of one message each, read by four parents in five, 20 messages deleted each month; the class's inboxes, Sent and the teacher's outbox as stored, against the same live content encoded afresh.`,
  };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;
