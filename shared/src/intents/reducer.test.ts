import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, effectiveDay, londonDate, type IsoDate } from '../dates.ts';
import { demoSchool } from '../demo/school.ts';
import { sumPence } from '../money.ts';
import { rosterOn } from '../roster/roster-on.ts';
import type { MisContact, RosterView } from '../roster/types.ts';
import { day, must } from '../../test/arbitraries.ts';
import type { LedgerEntry, Wallet, WalletBook } from '../wallet/types.ts';
import { walletBalance } from '../wallet/wallet.ts';
import { apply, readsOf, type SchoolState } from '../../test/memory-school.ts';
import { decide, INTERNAL_ERROR_SENTENCE } from './reducer.ts';
import type { Audience } from '../messages/audience.ts';
import type { Intent } from './schema.ts';
import type { Actor, DecideContext as ApplyContext } from './state.ts';
import type { Verdict } from './verdict.ts';

/*
 * The demo school one academic year earlier, so that its Year 6 leave on 23 July 2026: Poppy Daley
 * leaves, her mother Karen (only Poppy) may have her wallet closed, her father Mark (also Alfie,
 * who stays) may not. The state holds a handful of its wallets so that every step can be checked
 * against the whole state.
 */
const demo = demoSchool({ academicYear: 2025 });
const LEAVE_DAY = day('2026-07-23');

const rosters = new Map<IsoDate, RosterView>();
function rosterAt(when: Date | IsoDate): RosterView {
  const key = typeof when === 'string' ? when : effectiveDay(when);
  let roster = rosters.get(key);
  if (!roster) {
    roster = rosterOn(demo.mis, key);
    rosters.set(key, roster);
  }
  return roster;
}

function demoContact(forename: string, surname: string): MisContact {
  return must(
    demo.mis.contacts.find((each) => each.forename === forename && each.surname === surname),
    `${forename} ${surname}`,
  );
}

const karen = demoContact('Karen', 'Daley');
const mark = demoContact('Mark', 'Daley');
const jess = demoContact('Jess', 'Turner');
const alfie = must(
  demo.mis.pupils.find((each) => each.forename === 'Alfie' && each.surname === 'Daley'),
  'Alfie',
);
const poppy = must(
  demo.mis.pupils.find((each) => each.forename === 'Poppy' && each.surname === 'Daley'),
  'Poppy',
);

function walletOf(contactId: string): Wallet {
  return must(
    Object.values(demo.book.wallets).find((wallet) => wallet.contactId === contactId),
    `wallet of ${contactId}`,
  );
}

const leaveRoster = rosterAt(LEAVE_DAY);
const leaverWallets = Object.values(demo.book.wallets)
  .filter((wallet) => wallet.contactId !== karen.id)
  .filter((wallet) => leaveRoster.contacts.get(wallet.contactId)?.status === 'leaver');
const stayingWallets = Object.values(demo.book.wallets)
  .filter((wallet) => ![mark.id, jess.id].includes(wallet.contactId))
  .filter((wallet) => leaveRoster.contacts.get(wallet.contactId)?.status === 'active');
const chosenWallets: Wallet[] = [
  walletOf(karen.id),
  walletOf(mark.id),
  walletOf(jess.id),
  ...leaverWallets.filter((wallet) => walletBalance(demo.book, wallet.id) > 0).slice(0, 2),
  ...leaverWallets.filter((wallet) => walletBalance(demo.book, wallet.id) === 0).slice(0, 1),
  ...leaverWallets.filter((wallet) => walletBalance(demo.book, wallet.id) < 0).slice(0, 1),
  ...stayingWallets.slice(0, 1),
];

function smallState(wallets: readonly Wallet[]): SchoolState {
  const book: WalletBook = {
    wallets: Object.fromEntries(wallets.map((wallet) => [wallet.id, wallet])),
    entries: Object.fromEntries(wallets.map((wallet) => [wallet.id, demo.book.entries[wallet.id] ?? []])),
  };
  return { book, messages: {}, verdicts: {} };
}

const INITIAL = smallState(chosenWallets);
const WALLET_IDS = [...chosenWallets.map((wallet) => wallet.id), 'W-nobody'];
const MESSAGE_IDS = ['m1', 'm2', 'm3'];

const alfieClass = must(leaveRoster.pupils.get(alfie.id)?.registrationGroupId, "Alfie's class");
const poppyClass = must(leaveRoster.pupils.get(poppy.id)?.registrationGroupId, "Poppy's class");
const AUDIENCES: readonly Audience[] = [
  { kind: 'groups', groupIds: [alfieClass] },
  // Year 6 have all left on the leave day, so this one finds nobody to send to.
  { kind: 'groups', groupIds: [poppyClass] },
  { kind: 'school' },
];

const PATEL: Actor = {
  id: 'u-patel',
  name: 'A. Patel',
  roles: ['payments-admin'],
  contactId: null,
  isReadOnly: false,
};
const JONES: Actor = {
  id: 'u-jones',
  name: 'B. Jones',
  roles: ['payments-admin'],
  contactId: null,
  isReadOnly: false,
};
const SMITH: Actor = {
  id: 'u-smith',
  name: 'C. Smith',
  roles: ['staff'],
  contactId: null,
  isReadOnly: false,
};
function parent(person: MisContact): Actor {
  return {
    id: `parent-${person.id}`,
    name: `${person.forename} ${person.surname}`,
    roles: ['parent'],
    contactId: person.id,
    isReadOnly: false,
  };
}
const classmateParent = must(
  demo.mis.links.find(
    (each) =>
      each.pupilId !== alfie.id &&
      each.parentalResponsibility &&
      must(leaveRoster.groups.get(alfieClass), 'class').pupilIds.includes(each.pupilId),
  ),
  "a parent in Alfie's class",
);
const PARENTS: readonly Actor[] = [
  parent(karen),
  parent(mark),
  parent(jess),
  parent(
    must(
      demo.mis.contacts.find((each) => each.id === classmateParent.contactId),
      'classmate parent',
    ),
  ),
];
const KHAN: Actor = {
  id: 'u-khan',
  name: 'D. Khan',
  roles: ['school-admin'],
  contactId: null,
  isReadOnly: false,
};
const ACTORS: readonly Actor[] = [PATEL, JONES, SMITH, KHAN, ...PARENTS];
/** Who would normally ask for each kind of intent; the others are tried now and then. */
const USUAL_ACTORS: Readonly<Record<Intent['type'], readonly Actor[]>> = {
  'wallet-close': [PATEL, JONES],
  'wallet-settle': [PATEL, JONES],
  'wallet-entry': [PATEL, JONES],
  'message-send': [SMITH, KHAN],
  'message-delete': [SMITH, KHAN],
  'message-read': PARENTS,
};
/** Wallets of leavers' families, which can be closed and then settled, come up more often. */
const CLOSABLE_IDS = WALLET_IDS.filter((walletId) => {
  const wallet = INITIAL.book.wallets[walletId];
  return wallet !== undefined && leaveRoster.contacts.get(wallet.contactId)?.status === 'leaver';
});
/** Two wallets that come up most often, so close, settle and close-again collide within one run. */
const HOT_IDS = CLOSABLE_IDS.slice(0, 2);
const arbWalletId = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOT_IDS) },
  { weight: 3, arbitrary: fc.constantFrom(...CLOSABLE_IDS) },
  { weight: 1, arbitrary: fc.constantFrom(...WALLET_IDS) },
);

type Draft =
  | { readonly type: 'wallet-close'; readonly walletIds: readonly string[] }
  | { readonly type: 'wallet-settle'; readonly walletId: string; readonly refundOffset: number }
  | {
      readonly type: 'wallet-entry';
      readonly walletId: string;
      readonly kind: 'top-up' | 'charge';
      readonly amount: number;
    }
  | { readonly type: 'message-send'; readonly messageId: string; readonly audience: Audience }
  | { readonly type: 'message-delete'; readonly messageIds: readonly string[] }
  | { readonly type: 'message-read'; readonly messageId: string };

const arbDraft: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .array(arbWalletId, { minLength: 1, maxLength: 3 })
      .map((walletIds): Draft => ({ type: 'wallet-close', walletIds })),
  },
  {
    weight: 4,
    arbitrary: fc
      .record({
        walletId: arbWalletId,
        refundOffset: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, fc.integer({ min: -3, max: 1 })),
      })
      .map((fields): Draft => ({ type: 'wallet-settle', ...fields })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({
        walletId: arbWalletId,
        kind: fc.constantFrom('top-up' as const, 'charge' as const),
        amount: fc.integer({ min: 1, max: 100_000 }),
      })
      .map((fields): Draft => ({ type: 'wallet-entry', ...fields })),
  },
  {
    weight: 3,
    arbitrary: fc
      .record({ messageId: fc.constantFrom(...MESSAGE_IDS), audience: fc.constantFrom(...AUDIENCES) })
      .map((fields): Draft => ({ type: 'message-send', ...fields })),
  },
  {
    weight: 2,
    arbitrary: fc
      .array(fc.constantFrom(...MESSAGE_IDS), { minLength: 1, maxLength: 3 })
      .map((messageIds): Draft => ({ type: 'message-delete', messageIds })),
  },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom(...MESSAGE_IDS)
      .map((messageId): Draft => ({ type: 'message-read', messageId })),
  },
);

interface Step {
  readonly draft: Draft;
  readonly actor: Actor;
  /** Now and then someone submits an intent that is not their own. */
  readonly foreignAuthor: boolean;
  /** Server time moves forward between intents. */
  readonly minutes: number;
}

const arbStep: fc.Arbitrary<Step> = fc
  .record({
    draft: arbDraft,
    usual: fc.nat({ max: 9 }).map((roll) => roll < 8),
    pick: fc.nat({ max: 99 }),
    foreignAuthor: fc.nat({ max: 19 }).map((roll) => roll === 0),
    readOnly: fc.nat({ max: 9 }).map((roll) => roll === 0),
    minutes: fc.oneof(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 60, max: 24 * 60 })),
  })
  .map(({ draft, usual, pick, foreignAuthor, readOnly, minutes }): Step => {
    const candidates = usual ? USUAL_ACTORS[draft.type] : ACTORS;
    // Now and then the account is one that may only read (a parent whose children have left).
    const actor = { ...must(candidates[pick % candidates.length], 'actor'), isReadOnly: readOnly };
    return { draft, actor, foreignAuthor, minutes };
  });

const START = Date.parse('2026-07-23T06:00:00Z');

function makeIntent(draft: Draft, id: string, author: string, now: Date): Intent {
  const envelope = { id, author, device: `device-${author}`, createdAt: now.toISOString() };
  switch (draft.type) {
    case 'wallet-close':
      return { ...envelope, type: draft.type, payload: { walletIds: [...draft.walletIds] } };
    case 'wallet-settle':
      return {
        ...envelope,
        type: draft.type,
        payload: { walletId: draft.walletId, refundDate: addDays(londonDate(now), draft.refundOffset) },
      };
    case 'wallet-entry':
      return {
        ...envelope,
        type: draft.type,
        payload: {
          walletId: draft.walletId,
          kind: draft.kind,
          amount: draft.amount,
          description: 'Dinner money',
        },
      };
    case 'message-send':
      return {
        ...envelope,
        type: draft.type,
        payload: {
          messageId: draft.messageId,
          subject: 'Sports day',
          body: 'Bring a hat.',
          audience: draft.audience,
        },
      };
    case 'message-delete':
      return { ...envelope, type: draft.type, payload: { messageIds: [...draft.messageIds] } };
    case 'message-read':
      return { ...envelope, type: draft.type, payload: { messageId: draft.messageId } };
  }
}

interface Applied {
  readonly intent: Intent;
  readonly ctx: ApplyContext;
  readonly before: SchoolState;
  readonly after: SchoolState;
  readonly verdict: Verdict;
}

/** Run the steps through the reducer, checking idempotence and rejections at every step. */
function run(steps: readonly Step[], initial: SchoolState = INITIAL): Applied[] {
  let state = initial;
  let time = START;
  const applied: Applied[] = [];
  steps.forEach((step, index) => {
    time += step.minutes * 60_000;
    const now = new Date(time);
    const author = step.foreignAuthor ? 'u-someone-else' : step.actor.id;
    const intent = makeIntent(step.draft, `intent-${index}`, author, now);
    const ctx: ApplyContext = { now, seq: index + 1, roster: rosterAt(now), actor: step.actor };
    const once = apply(state, intent, ctx);
    // (a) Applying the same intent again straight away changes nothing and gets the same verdict,
    // sequence number and all.
    const twice = apply(once.state, intent, { ...ctx, seq: ctx.seq + 1 });
    expect(twice.state).toBe(once.state);
    expect(twice.verdict).toEqual(once.verdict);
    expect(twice.effects).toEqual([]);
    // (d) A rejected intent changes nothing but the record of its verdict: the very same objects.
    if (once.verdict.status === 'rejected') {
      expect(once.effects).toEqual([]);
      expect(once.state.book).toBe(state.book);
      expect(once.state.messages).toBe(state.messages);
    }
    applied.push({ intent, ctx, before: state, after: once.state, verdict: once.verdict });
    state = once.state;
  });
  return applied;
}

/** A rejection changes nothing but the record of its verdict: the very same wallets and messages. */
function expectNothingChanged(after: SchoolState, before: SchoolState): void {
  expect(after.book).toBe(before.book);
  expect(after.messages).toBe(before.messages);
}

const STATUS_RANK = { open: 0, closed: 1, settled: 2 } as const;

function allEntries(book: WalletBook): LedgerEntry[] {
  return Object.values(book.entries).flat();
}

function refundsOf(book: WalletBook, walletId: string): LedgerEntry[] {
  return (book.entries[walletId] ?? []).filter((entry) => entry.kind === 'refund');
}

describe('apply: properties over sequences of intents', () => {
  it('starts from demo wallets that cover the interesting cases', () => {
    // Guards the fixture, so the properties below exercise refunds, empty and overdrawn wallets.
    expect(chosenWallets).toHaveLength(8);
    expect(INITIAL.book.wallets[walletOf(karen.id).id]?.status).toBe('open');
    expect(allEntries(INITIAL.book).filter((entry) => entry.kind === 'refund')).toEqual([]);
  });

  it('(a, d) every intent is idempotent and every rejection changes nothing', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 25 }), (steps) => {
        run(steps);
      }),
      { numRuns: 150 },
    );
  });

  it('(a) an accepted intent applied again later, after other intents, changes nothing', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 20 }), (steps) => {
        const applied = run(steps);
        let state = applied.at(-1)?.after ?? INITIAL;
        const later = new Date(START + 40 * 24 * 3_600_000);
        for (const { intent, ctx, verdict } of applied) {
          if (verdict.status !== 'accepted') continue;
          const replay = apply(state, intent, { ...ctx, now: later, roster: rosterAt(later), seq: 1000 });
          expect(replay.state).toBe(state);
          expect(replay.verdict).toEqual(verdict);
          state = replay.state;
        }
      }),
      { numRuns: 100 },
    );
  });

  it('(b) no sequence reopens a wallet, settles it twice or changes its closed or settled stamp', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 25 }), (steps) => {
        for (const { before, after } of run(steps)) {
          expect(Object.keys(after.book.wallets).sort()).toEqual(Object.keys(before.book.wallets).sort());
          for (const [walletId, old] of Object.entries(before.book.wallets)) {
            const now = must(after.book.wallets[walletId], walletId);
            expect(STATUS_RANK[now.status]).toBeGreaterThanOrEqual(STATUS_RANK[old.status]);
            expect(now.closed === null).toBe(now.status === 'open');
            expect(now.settled !== null).toBe(now.status === 'settled');
            if (old.closed) expect(now.closed).toEqual(old.closed);
            if (old.settled) expect(now.settled).toEqual(old.settled);
            const refunds = refundsOf(after.book, walletId);
            expect(refunds.length).toBeLessThanOrEqual(1);
            if (now.settled) expect(refunds.length).toBe(now.settled.refunded > 0 ? 1 : 0);
            if (now.status === 'settled') expect(walletBalance(after.book, walletId)).toBe(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('(c) money is never created or lost: entries only grow, by a refund of what was owed or an entry on an open wallet', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 25 }), (steps) => {
        for (const { before, after } of run(steps)) {
          const walletIds = Object.keys(after.book.wallets);
          const entries = allEntries(after.book);
          expect(sumPence(entries.map((entry) => entry.amount))).toBe(
            sumPence(walletIds.map((walletId) => walletBalance(after.book, walletId))),
          );
          expect(new Set(entries.map((entry) => entry.id)).size).toBe(entries.length);
          for (const [walletId, list] of Object.entries(after.book.entries)) {
            for (const entry of list) expect(entry.walletId).toBe(walletId);
          }
          for (const [walletId, oldList] of Object.entries(before.book.entries)) {
            const newList = after.book.entries[walletId] ?? [];
            // Every entry present before is still there, unchanged and in the same place.
            expect(newList.slice(0, oldList.length)).toEqual(oldList);
            const added = newList.slice(oldList.length);
            if (added.length === 0) continue;
            expect(added).toHaveLength(1);
            const [entry] = added;
            if (entry?.kind === 'top-up' || entry?.kind === 'charge') {
              // Recorded by hand, on an open wallet only, with the sign its kind says.
              expect(before.book.wallets[walletId]?.status).toBe('open');
              expect(after.book.wallets[walletId]?.status).toBe('open');
              expect(Math.sign(entry.amount)).toBe(entry.kind === 'top-up' ? 1 : -1);
              continue;
            }
            expect(entry?.kind).toBe('refund');
            const owedBefore: number = walletBalance(before.book, walletId);
            expect(entry?.amount).toBe(-owedBefore);
            expect(before.book.wallets[walletId]?.status).toBe('closed');
            expect(after.book.wallets[walletId]?.status).toBe('settled');
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('(d) a read-only account changes nothing, whatever it sends', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 25 }), (steps) => {
        for (const { ctx, verdict, before, after } of run(steps)) {
          if (!ctx.actor.isReadOnly) continue;
          expect(verdict.status).toBe('rejected');
          if (verdict.status === 'rejected') expect(['not-permitted', 'read-only']).toContain(verdict.reason);
          expectNothingChanged(after, before);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('(d) a parent can never delete a message, nor touch a wallet; nobody can act as someone else', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 25 }), (steps) => {
        for (const { intent, ctx, verdict, before, after } of run(steps)) {
          const isParent = ctx.actor.roles.includes('parent');
          const forbidden =
            intent.author !== ctx.actor.id ||
            (isParent && intent.type !== 'message-read') ||
            (!isParent && intent.type === 'message-read') ||
            (ctx.actor.roles.includes('staff') && intent.type.startsWith('wallet-')) ||
            (ctx.actor.roles.includes('payments-admin') && intent.type.startsWith('message-'));
          if (forbidden) {
            expect(verdict).toMatchObject({ status: 'rejected', reason: 'not-permitted' });
            expectNothingChanged(after, before);
          }
          if (isParent && intent.type === 'message-delete') {
            expect(verdict).toMatchObject({ status: 'rejected', reason: 'not-permitted' });
          }
          // Staff delete only what they sent; a school admin may delete anyone's.
          if (intent.type === 'message-delete' && verdict.status === 'accepted') {
            const senders = intent.payload.messageIds.map((id) => before.messages[id]?.sent.actorId);
            const isAdmin = ctx.actor.roles.includes('school-admin');
            expect(isAdmin || senders.every((sender) => sender === ctx.actor.id)).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('deleted messages stay deleted with no subject or body, and reads are never lost', () => {
    fc.assert(
      fc.property(fc.array(arbStep, { minLength: 1, maxLength: 25 }), (steps) => {
        for (const { before, after } of run(steps)) {
          for (const [messageId, old] of Object.entries(before.messages)) {
            const now = must(after.messages[messageId], messageId);
            if (old.deleted) expect(now.deleted).toEqual(old.deleted);
            for (const [contactId, at] of Object.entries(old.reads)) expect(now.reads[contactId]).toBe(at);
          }
          for (const message of Object.values(after.messages)) {
            if (message.deleted) expect([message.subject, message.body]).toEqual(['', '']);
            for (const contactId of Object.keys(message.reads))
              expect(message.recipientIds).toContain(contactId);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('apply: examples', () => {
  const karenWallet = walletOf(karen.id);
  const markWallet = walletOf(mark.id);

  function ctx(actor: Actor, at: string, seq = 1): ApplyContext {
    const now = new Date(at);
    return { now, seq, roster: rosterAt(now), actor };
  }

  function close(walletIds: string[], actor: Actor, id: string, at: string): Intent {
    return {
      id,
      author: actor.id,
      device: 'tablet',
      createdAt: at,
      type: 'wallet-close',
      payload: { walletIds },
    };
  }

  function settle(walletId: string, refundDate: IsoDate, actor: Actor, id: string, at: string): Intent {
    return {
      id,
      author: actor.id,
      device: 'tablet',
      createdAt: at,
      type: 'wallet-settle',
      payload: { walletId, refundDate },
    };
  }

  function accepted(state: SchoolState, intent: Intent, context: ApplyContext): SchoolState {
    const result = apply(state, intent, context);
    expect(result.verdict).toMatchObject({
      status: 'accepted',
      seq: context.seq,
      at: context.now.toISOString(),
    });
    return result.state;
  }

  it("closes and settles Karen Daley's wallet: one refund of £12.50, then a zero balance", () => {
    expect(walletBalance(INITIAL.book, karenWallet.id)).toBe(1250);
    const closed = accepted(
      INITIAL,
      close([karenWallet.id], PATEL, 'c1', '2026-07-24T08:00:00Z'),
      ctx(PATEL, '2026-07-24T08:00:00Z'),
    );
    expect(closed.book.wallets[karenWallet.id]).toMatchObject({
      status: 'closed',
      closed: { actorName: 'A. Patel' },
    });
    const settled = accepted(
      closed,
      settle(karenWallet.id, day('2026-07-24'), PATEL, 's1', '2026-07-24T09:00:00Z'),
      ctx(PATEL, '2026-07-24T09:00:00Z', 2),
    );
    expect(refundsOf(settled.book, karenWallet.id)).toMatchObject([{ amount: -1250, kind: 'refund' }]);
    expect(walletBalance(settled.book, karenWallet.id)).toBe(0);
    expect(settled.book.wallets[karenWallet.id]?.settled).toMatchObject({
      refundDate: '2026-07-24',
      refunded: 1250,
    });
  });

  it('the second of two settles is rejected, naming who settled it, when, and for how much', () => {
    let state = accepted(
      INITIAL,
      close([karenWallet.id], PATEL, 'c1', '2026-07-24T08:00:00Z'),
      ctx(PATEL, '2026-07-24T08:00:00Z'),
    );
    state = accepted(
      state,
      settle(karenWallet.id, day('2026-07-24'), PATEL, 's-patel', '2026-07-24T09:00:00Z'),
      ctx(PATEL, '2026-07-24T09:00:00Z', 2),
    );
    // B. Jones settled the same wallet on a tablet while offline; it arrives the next day.
    const late = apply(
      state,
      settle(karenWallet.id, day('2026-07-24'), JONES, 's-jones', '2026-07-24T09:05:00Z'),
      ctx(JONES, '2026-07-25T10:00:00Z', 3),
    );
    expectNothingChanged(late.state, state);
    expect(late.verdict.status).toBe('rejected');
    if (late.verdict.status !== 'rejected') return;
    expect(late.verdict.reason).toBe('already-settled');
    expect(late.verdict.sentence).toContain('Karen Daley');
    expect(late.verdict.sentence).toContain('A. Patel');
    expect(late.verdict.sentence).toContain('24 Jul 2026');
    expect(late.verdict.sentence).toContain('£12.50');
    expect(late.verdict.facts).toMatchObject({ settledBy: 'A. Patel' });
    expect(refundsOf(late.state.book, karenWallet.id)).toHaveLength(1);
  });

  it("dates verdicts by London time: settled at 23:30 UTC on 24 July reads '25 Jul 2026'", () => {
    let state = accepted(
      INITIAL,
      close([karenWallet.id], PATEL, 'c1', '2026-07-24T08:00:00Z'),
      ctx(PATEL, '2026-07-24T08:00:00Z'),
    );
    // 00:30 on 25 July in London: the 25th is today there, not in the future.
    state = accepted(
      state,
      settle(karenWallet.id, day('2026-07-25'), PATEL, 's1', '2026-07-24T23:30:00Z'),
      ctx(PATEL, '2026-07-24T23:30:00Z', 2),
    );
    const again = apply(
      state,
      settle(karenWallet.id, day('2026-07-25'), JONES, 's2', '2026-07-25T08:00:00Z'),
      ctx(JONES, '2026-07-25T08:00:00Z', 3),
    );
    expect(again.verdict).toMatchObject({ status: 'rejected', reason: 'already-settled' });
    if (again.verdict.status === 'rejected') expect(again.verdict.sentence).toContain('25 Jul 2026');
  });

  it('rejects a refund date in the future, and one before the wallet was closed', () => {
    const closed = accepted(
      INITIAL,
      close([karenWallet.id], PATEL, 'c1', '2026-07-24T08:00:00Z'),
      ctx(PATEL, '2026-07-24T08:00:00Z'),
    );
    const future = apply(
      closed,
      settle(karenWallet.id, day('2026-07-25'), PATEL, 's1', '2026-07-24T09:00:00Z'),
      ctx(PATEL, '2026-07-24T09:00:00Z', 2),
    );
    expect(future.verdict).toMatchObject({ status: 'rejected', reason: 'refund-date-in-future' });
    expectNothingChanged(future.state, closed);
    const early = apply(
      closed,
      settle(karenWallet.id, day('2026-07-23'), PATEL, 's2', '2026-07-24T09:00:00Z'),
      ctx(PATEL, '2026-07-24T09:00:00Z', 2),
    );
    expect(early.verdict).toMatchObject({ status: 'rejected', reason: 'refund-date-before-close' });
    expectNothingChanged(early.state, closed);
  });

  it('rejects settling a wallet that is still open', () => {
    const result = apply(
      INITIAL,
      settle(karenWallet.id, day('2026-07-24'), PATEL, 's1', '2026-07-24T09:00:00Z'),
      ctx(PATEL, '2026-07-24T09:00:00Z'),
    );
    expect(result.verdict).toMatchObject({ status: 'rejected', reason: 'not-closed' });
  });

  it("refuses to close Mark Daley's wallet while Alfie stays, and closes none of a mixed selection", () => {
    const alone = apply(
      INITIAL,
      close([markWallet.id], PATEL, 'c1', '2026-07-24T08:00:00Z'),
      ctx(PATEL, '2026-07-24T08:00:00Z'),
    );
    expect(alone.verdict).toMatchObject({ status: 'rejected', reason: 'child-staying' });
    if (alone.verdict.status === 'rejected') expect(alone.verdict.sentence).toContain('Alfie Daley');
    expectNothingChanged(alone.state, INITIAL);
    const mixed = apply(
      INITIAL,
      close([karenWallet.id, markWallet.id], PATEL, 'c2', '2026-07-24T08:00:00Z'),
      ctx(PATEL, '2026-07-24T08:00:00Z'),
    );
    expect(mixed.verdict).toMatchObject({ status: 'rejected', reason: 'child-staying' });
    expect(mixed.state.book.wallets[karenWallet.id]?.status).toBe('open');
  });

  it("refuses to close an overdrawn wallet until the parent's payment is recorded", () => {
    const entry = (kind: 'top-up' | 'charge', amount: number, id: string): Intent => ({
      id,
      author: PATEL.id,
      device: 'tablet',
      createdAt: '2026-07-24T08:00:00Z',
      type: 'wallet-entry',
      payload: { walletId: karenWallet.id, kind, amount, description: 'Leavers’ trip' },
    });
    const owing = accepted(INITIAL, entry('charge', 2000, 'e1'), ctx(PATEL, '2026-07-24T08:00:00Z'));
    expect(walletBalance(owing.book, karenWallet.id)).toBe(-750);
    const refused = apply(
      owing,
      close([karenWallet.id], PATEL, 'c1', '2026-07-24T08:10:00Z'),
      ctx(PATEL, '2026-07-24T08:10:00Z', 2),
    );
    expect(refused.verdict).toMatchObject({
      status: 'rejected',
      reason: 'overdrawn',
      sentence:
        "Karen Daley's wallet is overdrawn by £7.50: record the parent's payment as a top-up, then close it.",
    });
    expectNothingChanged(refused.state, owing);
    const paid = accepted(owing, entry('top-up', 750, 'e2'), ctx(PATEL, '2026-07-24T08:20:00Z', 3));
    const closed = accepted(
      paid,
      close([karenWallet.id], PATEL, 'c2', '2026-07-24T08:30:00Z'),
      ctx(PATEL, '2026-07-24T08:30:00Z', 4),
    );
    expect(closed.book.wallets[karenWallet.id]?.status).toBe('closed');
  });

  it("refuses to close Karen's wallet before Poppy's leave date", () => {
    const result = apply(
      INITIAL,
      close([karenWallet.id], PATEL, 'c1', '2026-07-22T12:00:00Z'),
      ctx(PATEL, '2026-07-22T12:00:00Z'),
    );
    expect(result.verdict).toMatchObject({ status: 'rejected', reason: 'child-staying' });
  });

  it('a second close of the same wallet is rejected naming the first closer', () => {
    const closed = accepted(
      INITIAL,
      close([karenWallet.id], PATEL, 'c1', '2026-07-24T08:00:00Z'),
      ctx(PATEL, '2026-07-24T08:00:00Z'),
    );
    const again = apply(
      closed,
      close([karenWallet.id], JONES, 'c2', '2026-07-24T08:01:00Z'),
      ctx(JONES, '2026-07-24T10:00:00Z', 2),
    );
    expect(again.verdict).toMatchObject({ status: 'rejected', reason: 'already-closed' });
    if (again.verdict.status === 'rejected') expect(again.verdict.sentence).toContain('A. Patel');
    expectNothingChanged(again.state, closed);
  });

  it('a parent cannot delete a message; staff can, and its subject and body are erased', () => {
    const at = '2026-07-20T09:00:00Z';
    const send: Intent = {
      id: 'send-1',
      author: SMITH.id,
      device: 'pc',
      createdAt: at,
      type: 'message-send',
      payload: {
        messageId: 'm1',
        subject: 'Trip',
        body: 'Bring a coat',
        audience: { kind: 'groups', groupIds: [alfieClass] },
      },
    };
    const sent = accepted(INITIAL, send, ctx(SMITH, at));
    const message = must(sent.messages.m1, 'm1');
    expect(message.recipientIds).toContain(mark.id);
    expect(message.recipientIds).toContain(jess.id);
    const markActor = parent(mark);
    const byParent = apply(
      sent,
      {
        id: 'del-1',
        author: markActor.id,
        device: 'phone',
        createdAt: at,
        type: 'message-delete',
        payload: { messageIds: ['m1'] },
      },
      ctx(markActor, '2026-07-20T10:00:00Z', 2),
    );
    expect(byParent.verdict).toMatchObject({ status: 'rejected', reason: 'not-permitted' });
    expectNothingChanged(byParent.state, sent);
    const read = accepted(
      sent,
      {
        id: 'read-1',
        author: markActor.id,
        device: 'phone',
        createdAt: at,
        type: 'message-read',
        payload: { messageId: 'm1' },
      },
      ctx(markActor, '2026-07-20T10:00:00Z', 2),
    );
    expect(read.messages.m1?.reads[mark.id]).toBe('2026-07-20T10:00:00.000Z');
    const deleted = accepted(
      read,
      {
        id: 'del-2',
        author: SMITH.id,
        device: 'pc',
        createdAt: at,
        type: 'message-delete',
        payload: { messageIds: ['m1'] },
      },
      ctx(SMITH, '2026-07-20T11:00:00Z', 3),
    );
    expect(deleted.messages.m1).toMatchObject({ subject: '', body: '', deleted: { actorName: 'C. Smith' } });

    // A read sent again after the message was deleted (a phone that was offline) gets the verdict
    // it had, not a rejection: its outbox must not show a change that was in fact accepted.
    const replayed = apply(
      deleted,
      {
        id: 'read-1',
        author: markActor.id,
        device: 'phone',
        createdAt: at,
        type: 'message-read',
        payload: { messageId: 'm1' },
      },
      ctx(markActor, '2026-07-21T08:00:00Z', 9),
    );
    expect(replayed.verdict).toEqual({
      intentId: 'read-1',
      status: 'accepted',
      seq: 2,
      at: '2026-07-20T10:00:00.000Z',
    });
    expect(replayed.state).toBe(deleted);
  });

  it('answers an unexpected failure with an internal-error verdict, changing nothing', () => {
    const at = '2026-07-24T09:00:00Z';
    const failing = {
      ...readsOf(INITIAL),
      wallet: (): never => {
        throw new Error('disk I/O error');
      },
    };
    const result = decide(close([karenWallet.id], PATEL, 'close-x', at), ctx(PATEL, at), failing);
    expect(result.verdict).toEqual({
      intentId: 'close-x',
      status: 'rejected',
      reason: 'internal-error',
      sentence: INTERNAL_ERROR_SENTENCE,
      facts: {},
      at: '2026-07-24T09:00:00.000Z',
    });
    expect(result.effects).toEqual([]);
    expect(result.error).toBeInstanceOf(Error);
  });
});
