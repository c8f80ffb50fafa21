import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pence } from '../money.ts';
import { rosterOn } from '../roster/roster-on.ts';
import { arbSmallMis, arbViewDay, contact, day, link, misData, must, pupil } from '../../test/arbitraries.ts';
import type { LedgerEntry, Stamp, WalletBook } from './types.ts';
import { canClose, closeWallet, openWallet, recordEntry, settleWallet, walletBalance } from './wallet.ts';

const ADMIN: Stamp = {
  intentId: 'i-close',
  actorId: 'u1',
  actorName: 'A. Patel',
  at: '2027-07-23T09:00:00.000Z',
};
const SETTLER: Stamp = {
  intentId: 'i-settle',
  actorId: 'u1',
  actorName: 'A. Patel',
  at: '2027-07-24T09:00:00.000Z',
};

/** The seed's family: Poppy leaves in July; Karen has only Poppy, Mark also has Alfie, who stays. */
const daleys = misData({
  pupils: [
    pupil('P1', { forename: 'Poppy', surname: 'Daley', leavingDate: day('2027-07-23') }),
    pupil('P2', { forename: 'Alfie', surname: 'Daley' }),
    pupil('P3', { forename: 'Ruby', surname: 'Daley' }),
  ],
  contacts: [
    contact('C1', { forename: 'Karen', surname: 'Daley' }),
    contact('C2', { forename: 'Mark', surname: 'Daley' }),
    contact('C3', { forename: 'Jess', surname: 'Turner' }),
  ],
  links: [link('P1', 'C1'), link('P1', 'C2'), link('P2', 'C2'), link('P2', 'C3'), link('P3', 'C3')],
});

function entry(
  walletId: string,
  id: string,
  amount: number,
  kind: LedgerEntry['kind'] = 'top-up',
): LedgerEntry {
  return {
    id,
    walletId,
    kind,
    amount: pence(amount),
    at: '2026-10-01T08:00:00.000Z',
    description: kind,
    flag: null,
  };
}

function bookWith(amounts: Record<string, readonly number[]>): WalletBook {
  const wallets: WalletBook['wallets'] = Object.fromEntries(
    Object.keys(amounts).map((walletId) => [walletId, openWallet(walletId, `C-${walletId}`)]),
  );
  const entries: WalletBook['entries'] = Object.fromEntries(
    Object.entries(amounts).map(([walletId, list]) => [
      walletId,
      list.map((amount, index) =>
        entry(walletId, `${walletId}-${index}`, amount, amount < 0 ? 'charge' : 'top-up'),
      ),
    ]),
  );
  return { wallets, entries };
}

describe('canClose', () => {
  it('lets a wallet close only when every linked child is a leaver, naming the child who stays', () => {
    const roster = rosterOn(daleys, day('2027-07-23'));
    expect(canClose(openWallet('W1', 'C1'), roster)).toEqual({ ok: true });
    const mark = canClose(openWallet('W2', 'C2'), roster);
    expect(mark.ok).toBe(false);
    if (mark.ok) return;
    expect(mark.reason).toBe('child-staying');
    expect(mark.sentence).toContain('Alfie Daley');
    expect(mark.sentence).not.toContain('Poppy');
    expect(mark.sentence).toContain('Mark Daley');
    const jess = canClose(openWallet('W3', 'C3'), roster);
    expect(jess.ok).toBe(false);
    if (jess.ok) return;
    expect(jess.sentence).toContain('Alfie Daley');
    expect(jess.sentence).toContain('Ruby Daley');
  });

  it('keeps every wallet open the day before the leave date', () => {
    const roster = rosterOn(daleys, day('2027-07-22'));
    expect(canClose(openWallet('W1', 'C1'), roster).ok).toBe(false);
  });

  it('refuses a wallet whose owner is not linked to any pupil on roll', () => {
    const check = canClose(openWallet('W9', 'C9'), rosterOn(daleys, day('2027-07-23')));
    expect(check).toMatchObject({ ok: false, reason: 'unknown-contact' });
  });

  it('is ok exactly when every linked child is a leaver; otherwise names each one staying or joining', () => {
    fc.assert(
      fc.property(arbSmallMis, arbViewDay, (mis, viewDay) => {
        const roster = rosterOn(mis, viewDay);
        for (const owner of mis.contacts) {
          const check = canClose(openWallet(`W${owner.id}`, owner.id), roster);
          const children = mis.links
            .filter((each) => each.contactId === owner.id)
            .map((each) =>
              must(
                mis.pupils.find((p) => p.id === each.pupilId),
                each.pupilId,
              ),
            );
          if (!children.some((child) => child.entryDate < viewDay)) {
            expect(check).toMatchObject({ ok: false, reason: 'unknown-contact' });
            continue;
          }
          // Children admitted but not yet started are staying too.
          const staying = children.filter(
            (child) => child.leavingDate === null || child.leavingDate > viewDay,
          );
          expect(check.ok).toBe(staying.length === 0);
          if (check.ok) continue;
          expect(check.reason).toBe('child-staying');
          for (const child of staying) expect(check.sentence).toContain(`${child.forename} ${child.surname}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to close the wallet of a parent whose next child is admitted but not yet started', () => {
    // Expected behaviour from docs/architecture.md (where each rule lives) and the seed: a wallet "may be closed only when every linked child is
    // a leaver". Rosa is linked to Sam in the MIS and starts in January, so she is no leaver.
    const mis = misData({
      pupils: [
        pupil('P1', { forename: 'Ben', leavingDate: day('2026-10-23') }),
        pupil('P2', { forename: 'Rosa', entryDate: day('2027-01-05') }),
      ],
      contacts: [contact('C1', { forename: 'Sam' })],
      links: [link('P1', 'C1'), link('P2', 'C1')],
    });
    expect(canClose(openWallet('W1', 'C1'), rosterOn(mis, day('2026-11-28'))).ok).toBe(false);
  });
});

describe('closing and settling', () => {
  const arbLedger = fc.array(fc.integer({ min: -5_000, max: 5_000 }), { maxLength: 12 }).map((amounts) => {
    const total = amounts.reduce((sum, amount) => sum + amount, 0);
    // Settling needs a balance that is not overdrawn: top the wallet up to at least zero.
    return total < 0 ? [...amounts, -total] : amounts;
  });

  it('settling creates exactly one refund equal to the balance and leaves the wallet at zero', () => {
    fc.assert(
      fc.property(
        arbLedger,
        fc.array(fc.integer({ min: -900, max: 900 }), { maxLength: 4 }),
        (amounts, others) => {
          const before = closeWallet(bookWith({ W1: amounts, W2: others }), 'W1', ADMIN);
          const owed: number = walletBalance(before, 'W1');
          const after = settleWallet(before, 'W1', SETTLER, day('2027-07-24'));
          const oldEntries = before.entries.W1 ?? [];
          const newEntries = (after.entries.W1 ?? []).slice(oldEntries.length);
          expect(after.entries.W1?.slice(0, oldEntries.length)).toEqual(oldEntries);
          expect(after.entries.W2).toEqual(before.entries.W2);
          if (owed > 0) {
            expect(newEntries).toHaveLength(1);
            expect(newEntries[0]).toMatchObject({
              walletId: 'W1',
              kind: 'refund',
              amount: -owed,
              flag: null,
            });
          } else {
            expect(newEntries.filter((each) => each.kind !== 'refund')).toEqual([]);
            expect(newEntries.length).toBeLessThanOrEqual(1);
          }
          expect(walletBalance(after, 'W1')).toBe(0);
          expect(after.wallets.W1).toMatchObject({ status: 'settled', closed: ADMIN });
          expect(after.wallets.W1?.settled).toEqual({ ...SETTLER, refundDate: '2027-07-24', refunded: owed });
          // A wallet is settled once.
          expect(() =>
            settleWallet(after, 'W1', { ...SETTLER, intentId: 'i-again' }, day('2027-07-25')),
          ).toThrow();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses to settle an open wallet or to close a wallet twice', () => {
    const book = bookWith({ W1: [500] });
    expect(() => settleWallet(book, 'W1', SETTLER, day('2027-07-24'))).toThrow();
    const closed = closeWallet(book, 'W1', ADMIN);
    expect(() => closeWallet(closed, 'W1', { ...ADMIN, intentId: 'i-two' })).toThrow();
    expect(() => closeWallet(book, 'W-missing', ADMIN)).toThrow();
  });

  it('refuses to settle an overdrawn wallet', () => {
    const closed = closeWallet(bookWith({ W1: [500, -700] }), 'W1', ADMIN);
    expect(() => settleWallet(closed, 'W1', SETTLER, day('2027-07-24'))).toThrow();
  });
});

describe('recordEntry', () => {
  it('keeps money that arrives on an open wallet, unflagged', () => {
    const result = recordEntry(bookWith({ W1: [500] }), { ...entry('W1', 'pay-1', 250) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.flagged).toBe(false);
    expect(result.book.entries.W1?.at(-1)).toMatchObject({ id: 'pay-1', flag: null });
    expect(walletBalance(result.book, 'W1')).toBe(750);
  });

  it('keeps money that arrives on a closed or settled wallet, flagged after-close', () => {
    const closed = closeWallet(bookWith({ W1: [500] }), 'W1', ADMIN);
    const settled = settleWallet(closed, 'W1', SETTLER, day('2027-07-24'));
    for (const book of [closed, settled]) {
      const before = walletBalance(book, 'W1');
      const result = recordEntry(book, { ...entry('W1', 'late-top-up', 1000) });
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.flagged).toBe(true);
      expect(result.book.entries.W1?.at(-1)).toMatchObject({
        id: 'late-top-up',
        amount: 1000,
        flag: 'after-close',
      });
      expect(walletBalance(result.book, 'W1')).toBe(before + 1000);
      expect(result.book.wallets.W1).toEqual(book.wallets.W1);
    }
  });

  it('refuses an entry id that is already recorded, changing nothing', () => {
    const book = bookWith({ W1: [500] });
    const result = recordEntry(book, { ...entry('W1', 'W1-0', 500) });
    expect(result).toMatchObject({ ok: false, reason: 'duplicate-entry' });
    expect(book.entries.W1).toHaveLength(1);
  });

  it('refuses an entry id already recorded on another wallet: every entry id is unique', () => {
    // docs/architecture.md, money: "every entry has a unique id"; the ledger table enforces UNIQUE (school_id, id).
    const book = bookWith({ W1: [500], W2: [300] });
    const result = recordEntry(book, { ...entry('W2', 'W1-0', 500) });
    expect(result).toMatchObject({ ok: false, reason: 'duplicate-entry' });
  });

  it('refuses money for a wallet that does not exist', () => {
    expect(recordEntry(bookWith({}), { ...entry('W1', 'x', 1) })).toMatchObject({
      ok: false,
      reason: 'unknown-wallet',
    });
  });
});
