import { isoDate, type Actor, type Intent, type Role } from '@schoolping/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../auth/users.ts';
import type { Db } from '../db/database.ts';
import { loadRoster, loadWalletBook, type SchoolRow } from '../db/school-store.ts';
import { loadDemoOnFirstRun } from '../demo-data.ts';
import { tempDatabase } from '../../test/temp-database.ts';
import { sqliteSyncStore } from '../db/sync-store/sqlite.ts';
import { decideOnce, type IntentSource } from './decide-once.ts';
import { RosterCache } from './roster-cache.ts';

/** The demo school loaded in March; Year 6 leave on 23 July, so 24 July is year end. */
const LOADED = new Date('2027-03-15T09:00:00Z');
const YEAR_END = new Date('2027-07-24T09:00:00+01:00');

let temp: ReturnType<typeof tempDatabase>;
let db: Db;
let school: SchoolRow;
let lines: string[];
beforeEach(() => {
  temp = tempDatabase();
  db = temp.db;
  school = loadDemoOnFirstRun(db, LOADED) ?? expect.fail('the demo loads');
  lines = [];
});
afterEach(() => {
  temp.cleanup();
});

let people = 0;
function person(roles: readonly Role[], contactId: string | null = null): IntentSource {
  people++;
  const user = createUser(
    db,
    {
      schoolId: school.id,
      kind: roles.includes('parent') ? 'parent' : 'staff',
      misId: contactId,
      email: `person${people}@example.org`,
      name: `Person ${people}`,
      roles,
    },
    LOADED,
  );
  const actor: Actor = { id: String(user.id), name: user.name, roles, contactId, isReadOnly: false };
  return { userId: user.id, actor };
}

function intent(source: IntentSource, id: string, body: Pick<Intent, 'type' | 'payload'>): Intent {
  return {
    id,
    author: source.actor.id,
    device: 'tablet',
    createdAt: LOADED.toISOString(),
    ...body,
  } as Intent;
}

const rosters = new RosterCache();
function run(source: IntentSource, what: Intent, now = YEAR_END) {
  const store = sqliteSyncStore(db);
  return store.transaction(() =>
    decideOnce(store, school, source, what, { now, rosters, log: (line) => lines.push(line) }),
  );
}

function karenDaley() {
  const contact = loadRoster(db, school).contacts.find(
    (each) => each.forename === 'Karen' && each.surname === 'Daley',
  );
  const book = loadWalletBook(db, school.id);
  const wallet = Object.values(book.wallets).find((each) => each.contactId === contact?.id);
  if (!contact || !wallet) throw new Error('the demo has Karen Daley and her wallet');
  return { contact, wallet, book };
}

const count = (table: string): number => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;

describe('decideOnce against SQLite', () => {
  it('closes and settles a leaver’s wallet: one refund of what was owed, and a replay changes nothing', () => {
    const admin = person(['payments-admin']);
    const { wallet } = karenDaley();
    const owed = db
      .prepare('SELECT SUM(amount) FROM ledger_entries WHERE school_id = ? AND wallet_id = ?')
      .pluck()
      .get(school.id, wallet.id) as number;
    expect(owed).toBeGreaterThan(0);

    const close = intent(admin, 'close-1', { type: 'wallet-close', payload: { walletIds: [wallet.id] } });
    expect(run(admin, close).verdict).toMatchObject({ status: 'accepted', seq: 1 });
    const settle = intent(admin, 'settle-1', {
      type: 'wallet-settle',
      payload: { walletId: wallet.id, refundDate: isoDate('2027-07-24') },
    });
    const settled = run(admin, settle);
    expect(settled.verdict).toMatchObject({ status: 'accepted', seq: 2 });
    expect(settled.effects.map((effect) => effect.kind)).toEqual(['ledger-entry', 'wallet-settled']);

    const after = loadWalletBook(db, school.id);
    expect(after.wallets[wallet.id]).toMatchObject({ status: 'settled', settled: { refunded: owed } });
    expect(after.entries[wallet.id]?.reduce((sum, entry) => sum + entry.amount, 0)).toBe(0);

    const entries = count('ledger_entries');
    const replay = run(admin, settle, new Date('2027-08-30T09:00:00Z'));
    expect(replay).toEqual({ verdict: settled.verdict, effects: [], isReplay: true });
    expect(count('ledger_entries')).toBe(entries);
    expect(count('intents')).toBe(2);
  });

  it('never hands one person’s verdict to another who reuses its id', () => {
    const admin = person(['payments-admin']);
    const other = person(['payments-admin']);
    const { wallet } = karenDaley();
    run(admin, intent(admin, 'same-id', { type: 'wallet-close', payload: { walletIds: [wallet.id] } }));
    const stolen = run(
      other,
      intent(other, 'same-id', { type: 'wallet-close', payload: { walletIds: [wallet.id] } }),
    );
    expect(stolen.verdict).toMatchObject({ status: 'rejected', reason: 'not-permitted' });
    expect(stolen.isReplay).toBe(false);
  });

  it('turns a write the database refuses into an internal-error verdict, logged, with nothing half done', () => {
    const admin = person(['payments-admin']);
    const { wallet } = karenDaley();
    run(admin, intent(admin, 'close-2', { type: 'wallet-close', payload: { walletIds: [wallet.id] } }));
    // An entry already holds the id the refund will get: the ledger's UNIQUE refuses the refund.
    db.prepare(
      `INSERT INTO ledger_entries (school_id, id, wallet_id, kind, amount, at, description)
       VALUES (?, 'settle-2:refund', ?, 'top-up', 1, 'now', 'in the way')`,
    ).run(school.id, wallet.id);
    const result = run(
      admin,
      intent(admin, 'settle-2', {
        type: 'wallet-settle',
        payload: { walletId: wallet.id, refundDate: isoDate('2027-07-24') },
      }),
    );
    expect(result.verdict).toMatchObject({ status: 'rejected', reason: 'internal-error' });
    expect(result.effects).toEqual([]);
    expect(lines.join('\n')).toMatch(/intent settle-2 \(wallet-settle\) failed unexpectedly: UNIQUE/);
    expect(loadWalletBook(db, school.id).wallets[wallet.id]?.status).toBe('closed');
    // The next intent from the same outbox goes through as usual.
    const next = run(
      admin,
      intent(admin, 'settle-3', {
        type: 'wallet-settle',
        payload: { walletId: wallet.id, refundDate: isoDate('2027-07-24') },
      }),
    );
    expect(next.verdict.status).toBe('accepted');
  });

  it('sends to a class, records a read as one row, and erases subject and body on delete', () => {
    const teacher = person(['staff']);
    const roster = loadRoster(db, school);
    const group = roster.groups.find((each) => each.kind === 'registration') ?? expect.fail('a class');
    const sent = run(
      teacher,
      intent(teacher, 'send-1', {
        type: 'message-send',
        payload: {
          messageId: 'm1',
          subject: 'Sports day',
          body: 'Bring a hat',
          audience: { kind: 'groups', groupIds: [group.id] },
        },
      }),
      LOADED,
    );
    expect(sent.verdict.status).toBe('accepted');
    const recipients = db
      .prepare('SELECT contact_id FROM message_recipients WHERE message_id = ?')
      .pluck()
      .all('m1') as string[];
    expect(recipients.length).toBeGreaterThan(0);

    const parent = person(['parent'], recipients[0] ?? null);
    const read = intent(parent, 'read-1', { type: 'message-read', payload: { messageId: 'm1' } });
    expect(run(parent, read, LOADED).verdict.status).toBe('accepted');
    expect(
      db.prepare('SELECT COUNT(*) FROM message_recipients WHERE read_at IS NOT NULL').pluck().get(),
    ).toBe(1);

    const removed = run(
      teacher,
      intent(teacher, 'delete-1', { type: 'message-delete', payload: { messageIds: ['m1'] } }),
      LOADED,
    );
    expect(removed.verdict.status).toBe('accepted');
    expect(db.prepare("SELECT subject || body FROM messages WHERE id = 'm1'").pluck().get()).toBe('');
    // The read sent again from an offline phone keeps the verdict it had.
    expect(run(parent, read, LOADED)).toMatchObject({ isReplay: true, verdict: { status: 'accepted' } });
  });

  it('decides against a fresh roster after a block is recorded, not a cached one', () => {
    const teacher = person(['staff']);
    const roster = loadRoster(db, school);
    const group = roster.groups.find((each) => each.kind === 'registration') ?? expect.fail('a class');
    const send = (id: string) =>
      run(
        teacher,
        intent(teacher, id, {
          type: 'message-send',
          payload: {
            messageId: id,
            subject: 'Note',
            body: '',
            audience: { kind: 'groups', groupIds: [group.id] },
          },
        }),
        LOADED,
      );
    send('before');
    const before = db
      .prepare("SELECT contact_id FROM message_recipients WHERE message_id = 'before'")
      .pluck()
      .all() as string[];
    const blocked = before[0] ?? expect.fail('a recipient');
    db.prepare(
      "INSERT INTO contact_blocks (school_id, contact_id, reason, created_at) VALUES (?, ?, 'court order', 'now')",
    ).run(school.id, blocked);
    send('after');
    const after = db
      .prepare("SELECT contact_id FROM message_recipients WHERE message_id = 'after'")
      .pluck()
      .all() as string[];
    expect(after).not.toContain(blocked);
    expect(after.length).toBe(before.length - 1);
  });
});
