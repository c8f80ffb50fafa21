import {
  academicYearOf,
  dateIn,
  londonDate,
  londonInstant,
  type Audience,
  type Intent,
} from '@schoolping/shared';
import type { Db } from './db/database.ts';
import type { SchoolRow } from './db/school-store.ts';
import { sqliteSyncStore } from './db/sync-store/sqlite.ts';
import type { SyncStore } from './db/sync-store/store.ts';
import { decideOnce, type IntentSource } from './intents/decide-once.ts';
import { RosterCache } from './intents/roster-cache.ts';
import { userById, type UserRow } from './auth/users.ts';

/*
 * A term's messages for the demo school, sent through the same path as anyone's (the reducer, the
 * tables, the read models built from them), dated through the term up to today, so a fresh demo
 * shows inboxes that hold messages and a Sent area with read counts.
 */

interface Template {
  readonly day: number;
  readonly to: 'school' | 'class' | 'year';
  readonly subject: string;
  readonly body: string;
}

const TEMPLATES: readonly Template[] = [
  {
    day: 2,
    to: 'school',
    subject: 'Welcome back',
    body: 'Welcome back to a new school year. Doors open at 8:40 each morning.',
  },
  {
    day: 9,
    to: 'class',
    subject: 'PE kit on Tuesdays',
    body: 'Please send PE kit in on Tuesdays, with every item named.',
  },
  {
    day: 16,
    to: 'school',
    subject: 'Harvest festival',
    body: 'Tins and packets for the food bank, please, by Friday. Thank you.',
  },
  {
    day: 23,
    to: 'year',
    subject: 'Reading records',
    body: 'Please sign your child’s reading record each week; it comes home on Mondays.',
  },
  {
    day: 30,
    to: 'school',
    subject: 'School photographs',
    body: 'Individual photographs are on Thursday. Brothers and sisters can be taken together before school.',
  },
  {
    day: 44,
    to: 'class',
    subject: 'Museum trip',
    body: 'Our class visits the museum next Wednesday. Packed lunch, coat and sensible shoes, please.',
  },
  {
    day: 58,
    to: 'school',
    subject: 'Parents’ evening',
    body: 'Parents’ evening booking opens tomorrow at 6pm: https://example.org/bookings',
  },
  {
    day: 72,
    to: 'year',
    subject: 'Flu vaccinations',
    body: 'The school nursing team visits on the 14th. Consent forms are due back by Monday.',
  },
  {
    day: 86,
    to: 'school',
    subject: 'Christmas jumper day',
    body: 'Wear a festive jumper on Friday for a £1 donation to the children’s charity.',
  },
  {
    day: 100,
    to: 'class',
    subject: 'Class assembly',
    body: 'You are welcome at our class assembly on Thursday at 9:10 in the hall.',
  },
];

/** The demo's teacher sends the term's messages up to `now`; Karen Daley reads the first few. */
export function sendDemoMessages(db: Db, school: SchoolRow, now: Date): number {
  const rosters = new RosterCache();
  const store = sqliteSyncStore(db);
  const users = db
    .prepare('SELECT id FROM users WHERE school_id = ? ORDER BY id')
    .pluck()
    .all(school.id) as number[];
  const accounts = users.map((id) => userById(db, id)).filter((user): user is UserRow => user !== null);
  const teacher = accounts.find(
    (user) => user.kind === 'staff' && user.roles.length === 1 && user.roles[0] === 'staff',
  );
  const karen = accounts.find((user) => user.kind === 'parent' && user.name === 'Karen Daley');
  if (!teacher) return 0;
  const start = dateIn(academicYearOf(londonDate(now)), 9, 1);
  const log = (): void => undefined;
  let sent = 0;
  for (const [index, template] of TEMPLATES.entries()) {
    const at = new Date(londonInstant(start, 9).getTime() + template.day * 86_400_000 + index * 60_000);
    if (at >= now) break;
    const roster = rosters.viewFor(store, school, at);
    const child = karen?.misId ? roster.contacts.get(karen.misId)?.pupilIds[0] : undefined;
    const pupil = child === undefined ? undefined : roster.pupils.get(child);
    const groupId = template.to === 'class' ? pupil?.registrationGroupId : pupil?.yearGroupId;
    const audience: Audience =
      template.to === 'school' || groupId === null || groupId === undefined
        ? { kind: 'school' }
        : { kind: 'groups', groupIds: [groupId] };
    const intent: Intent = {
      id: `demo-send-${index + 1}`,
      author: String(teacher.id),
      device: 'demo',
      createdAt: at.toISOString(),
      type: 'message-send',
      payload: {
        messageId: `demo-message-${index + 1}`,
        subject: template.subject,
        body: template.body,
        audience,
      },
    };
    const source: IntentSource = {
      userId: teacher.id,
      actor: {
        id: String(teacher.id),
        name: teacher.name,
        roles: teacher.roles,
        contactId: null,
        isReadOnly: false,
      },
    };
    const decided = store.transaction(() =>
      decideOnce(store, school, source, intent, { now: at, rosters, log }),
    );
    if (decided.verdict.status !== 'accepted') continue;
    sent++;
    if (karen?.misId && index < 4)
      readAsParent(store, school, karen, intent, new Date(at.getTime() + 3_600_000), rosters);
  }
  // A term's history is not news: nobody is pushed or emailed about it.
  db.prepare("UPDATE notifications SET status = 'cancelled' WHERE school_id = ? AND status = 'pending'").run(
    school.id,
  );
  return sent;
}

function readAsParent(
  store: SyncStore,
  school: SchoolRow,
  parent: UserRow,
  send: Intent,
  at: Date,
  rosters: RosterCache,
): void {
  if (send.type !== 'message-send') return;
  const intent: Intent = {
    id: `demo-read-${send.payload.messageId}-${parent.id}`,
    author: String(parent.id),
    device: 'demo',
    createdAt: at.toISOString(),
    type: 'message-read',
    payload: { messageId: send.payload.messageId },
  };
  const source: IntentSource = {
    userId: parent.id,
    actor: {
      id: String(parent.id),
      name: parent.name,
      roles: parent.roles,
      contactId: parent.misId,
      isReadOnly: false,
    },
  };
  store.transaction(() =>
    decideOnce(store, school, source, intent, { now: at, rosters, log: () => undefined }),
  );
}
