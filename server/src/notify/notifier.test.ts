import type { Intent } from '@schoolping/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser, setPassword } from '../auth/users.ts';
import { loadRoster, type SchoolRow } from '../db/school-store.ts';
import { sqliteSyncStore } from '../db/sync-store/sqlite.ts';
import { loadDemoOnFirstRun } from '../demo-data.ts';
import { decideOnce } from '../intents/decide-once.ts';
import { RosterCache } from '../intents/roster-cache.ts';
import { StandInPushService } from '../../test/push-service.ts';
import { LocalSmtp, freePort } from '../../test/smtp-stand-in.ts';
import { tempDatabase } from '../../test/temp-database.ts';
import { Notifier } from './notifier.ts';
import { notifyStore } from './notify-store.ts';
import { smtpSender, webPushSender } from './senders.ts';
import { loadOrCreateVapidKeys } from './vapid.ts';

/*
 * Parents who are not looking: a push to each subscribed phone, through a stand-in push service
 * over TLS, carrying no words of the message; an email, through a real SMTP server on this machine,
 * for everyone else; and retries while the SMTP server is down, sending each mail once.
 */

const SENT_AT = new Date('2027-03-15T09:00:00Z');
const SUBJECT = 'Sports day moved to Friday PELICAN-4471';
const BODY = 'Because of the rain, sports day is now on Friday. Bring a hat. OSPREY-9912';

let temp: ReturnType<typeof tempDatabase>;
let school: SchoolRow;
let push: StandInPushService;
let now: Date;
const lines: string[] = [];
/** The teacher deletes the message she sent (set by `sendToAClass`). */
let deleteIt = (): void => undefined;

beforeEach(async () => {
  temp = tempDatabase();
  school = loadDemoOnFirstRun(temp.db, SENT_AT) ?? expect.fail('the demo loads');
  push = await StandInPushService.start();
  now = new Date(SENT_AT);
  lines.length = 0;
});
afterEach(async () => {
  await push.stop();
  temp.cleanup();
});

/** A teacher sends SUBJECT to one class through the intents path; returns the recipients. */
function sendToAClass(): string[] {
  const { db } = temp;
  const group = loadRoster(db, school).groups.find((each) => each.kind === 'registration') ?? expect.fail();
  const teacher = createUser(
    db,
    {
      schoolId: school.id,
      kind: 'staff',
      misId: null,
      email: 't@example.org',
      name: 'Ann Teacher',
      roles: ['staff'],
    },
    SENT_AT,
  );
  const store = sqliteSyncStore(db);
  const intent: Intent = {
    id: 'send-1',
    author: String(teacher.id),
    device: 'tablet',
    createdAt: SENT_AT.toISOString(),
    type: 'message-send',
    payload: {
      messageId: 'm-1',
      subject: SUBJECT,
      body: BODY,
      audience: { kind: 'groups', groupIds: [group.id] },
    },
  };
  const actor = {
    id: String(teacher.id),
    name: teacher.name,
    roles: teacher.roles,
    contactId: null,
    isReadOnly: false,
  };
  const decided = store.transaction(() =>
    decideOnce(store, school, { userId: teacher.id, actor }, intent, {
      now: SENT_AT,
      rosters: new RosterCache(),
      log: () => undefined,
    }),
  );
  expect(decided.verdict.status).toBe('accepted');
  deleteIt = () => {
    const remove: Intent = {
      ...intent,
      id: 'delete-1',
      type: 'message-delete',
      payload: { messageIds: ['m-1'] },
    };
    const verdict = store.transaction(() =>
      decideOnce(store, school, { userId: teacher.id, actor }, remove, {
        now: SENT_AT,
        rosters: new RosterCache(),
        log: () => undefined,
      }),
    ).verdict;
    expect(verdict.status).toBe('accepted');
  };
  return db
    .prepare("SELECT contact_id FROM message_recipients WHERE message_id = 'm-1' ORDER BY contact_id")
    .pluck()
    .all() as string[];
}

/** Gives a contact an activated account with a phone subscribed to pushes. */
function subscribedParent(contactId: string, id: string) {
  const { db } = temp;
  const user = createUser(
    db,
    {
      schoolId: school.id,
      kind: 'parent',
      misId: contactId,
      email: `${id}@example.org`,
      name: `Parent ${id}`,
      roles: ['parent'],
    },
    SENT_AT,
  );
  setPassword(db, user.id, 'not-a-real-hash');
  db.prepare(
    "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?, 'test')",
  ).run(`session-${id}`, user.id, SENT_AT.toISOString(), SENT_AT.toISOString(), '2027-04-15T00:00:00Z');
  const subscription = push.subscription(id);
  notifyStore(db).saveSubscription(
    { endpoint: subscription.endpoint, ...subscription.keys },
    { schoolId: school.id, userId: user.id, sessionIdHash: `session-${id}` },
    SENT_AT,
  );
  return user;
}

function notifier(smtpPort: number | null): Notifier {
  return new Notifier({
    store: notifyStore(temp.db),
    push: webPushSender(loadOrCreateVapidKeys(temp.dataDir), 'mailto:admin@example.org', push.agent),
    mail:
      smtpPort === null ? null : smtpSender(`smtp://127.0.0.1:${smtpPort}`, 'School <school@example.org>'),
    appUrl: 'https://app.example.org',
    clock: () => now,
    log: (line) => lines.push(line),
  });
}

/** One pass of the notifier with a real SMTP server up; returns what that server received. */
async function oneNotifierPass(): Promise<LocalSmtp> {
  const port = await freePort();
  const smtp = await LocalSmtp.start(port);
  try {
    await notifier(port).kick();
  } finally {
    await smtp.stop();
  }
  return smtp;
}

const statuses = (): Record<string, number> =>
  Object.fromEntries(
    (
      temp.db.prepare('SELECT status, COUNT(*) AS n FROM notifications GROUP BY status').all() as {
        status: string;
        n: number;
      }[]
    ).map((row) => [row.status, row.n]),
  );

describe('the notifier', () => {
  it('pushes to a subscribed phone with no words of the message, and emails the others', async () => {
    const recipients = sendToAClass();
    const [first] = recipients;
    if (!first) expect.fail('the class has parents');
    subscribedParent(first, 'phone-a');
    const smtp = await oneNotifierPass();

    expect(push.received).toHaveLength(1);
    const [request] = push.received;
    if (!request) expect.fail();
    expect(request.path).toBe('/push/phone-a');
    expect(request.headers['content-encoding']).toBe('aes128gcm');
    expect(String(request.headers.authorization)).toMatch(/^vapid t=.+, k=.+/);
    // Encrypted on the wire: the words are not there, nor in the decrypted payload.
    expect(request.body.includes(Buffer.from('PELICAN'))).toBe(false);
    const payload = JSON.parse(push.decrypt(request)) as { title: string; url: string };
    expect(payload).toEqual({ title: `New message from ${school.name}`, url: '/inbox/m-1' });
    expect(JSON.stringify(payload)).not.toMatch(/PELICAN|OSPREY|Sports day/);

    const emailed = statuses().emailed ?? 0;
    expect(emailed).toBeGreaterThan(0);
    expect(smtp.mails).toHaveLength(emailed);
    expect(statuses()).toMatchObject({ pushed: 1 });
    expect((statuses().pushed ?? 0) + emailed + (statuses().unreached ?? 0)).toBe(recipients.length);
    // The school has not allowed the message itself in emails: a pointer only.
    for (const mail of smtp.mails) {
      expect(mail.raw).toContain('https://app.example.org/inbox/m-1');
      expect(mail.raw).not.toMatch(/OSPREY|PELICAN/);
    }
  });

  it('puts the message in the email when the school allows it', async () => {
    temp.db.prepare('UPDATE schools SET email_includes_text = 1').run();
    sendToAClass();
    const smtp = await oneNotifierPass();
    expect(smtp.mails.length).toBeGreaterThan(0);
    expect(smtp.mails.every((mail) => mail.raw.includes('OSPREY-9912'))).toBe(true);
  });

  it('retries while the SMTP server is down and sends each mail once when it is back', async () => {
    sendToAClass();
    const port = await freePort();
    const worker = notifier(port);
    await worker.kick();
    const failing = notifyStore(temp.db).totals(school.id);
    expect(failing.failing).toBeGreaterThan(0);
    expect(failing.lastError).toMatch(/^email: /);
    expect(statuses().emailed).toBeUndefined();
    expect(lines.some((line) => line.includes('failed (try 1)'))).toBe(true);

    // Not yet due: nothing is tried before the backoff has passed.
    const smtp = await LocalSmtp.start(port);
    try {
      await worker.kick();
      expect(smtp.mails).toHaveLength(0);
      now = new Date(now.getTime() + 31_000);
      await worker.kick();
      await worker.kick();
      now = new Date(now.getTime() + 3_600_000);
      await worker.kick();
    } finally {
      await smtp.stop();
    }
    const emailed = statuses().emailed ?? 0;
    expect(emailed).toBe(failing.failing);
    expect(smtp.mails).toHaveLength(emailed);
    const addresses = smtp.mails.flatMap((mail) => mail.to);
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(notifyStore(temp.db).totals(school.id).failing).toBe(0);
  });

  it('drops a subscription the push service says is gone, and emails instead', async () => {
    const [first] = sendToAClass();
    if (!first) expect.fail();
    subscribedParent(first, 'old-phone');
    push.answer = 410;
    const smtp = await oneNotifierPass();
    expect(push.received).toHaveLength(1);
    expect(temp.db.prepare('SELECT COUNT(*) FROM push_subscriptions').pluck().get()).toBe(0);
    expect(smtp.mails.some((mail) => mail.to.includes('old-phone@example.org'))).toBe(true);
  });

  it('tells nobody about a message deleted before its notices went', async () => {
    sendToAClass();
    deleteIt();
    const smtp = await oneNotifierPass();
    expect(smtp.mails).toHaveLength(0);
    expect(statuses()).toEqual({ cancelled: expect.any(Number) as unknown });
  });
});
