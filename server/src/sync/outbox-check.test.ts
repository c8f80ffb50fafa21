import { MAX_WALLET_ENTRY_PENCE, type Intent } from '@schoolping/shared';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { SERVER_CLIENT_ID } from './documents.ts';
import { checkOutboxUpdate } from './outbox-check.ts';

const OWNER = '17';

function intent(id: string, author = OWNER): Intent {
  return {
    id,
    author,
    device: 'tablet',
    createdAt: '2027-03-15T09:00:00.000Z',
    type: 'message-read',
    payload: { messageId: 'm1' },
  };
}

/** The update a device makes by changing its copy of the outbox. */
function changeOn(device: Y.Doc, edit: (doc: Y.Doc) => void): Uint8Array {
  const updates: Uint8Array[] = [];
  const listener = (update: Uint8Array): void => {
    updates.push(update);
  };
  device.on('update', listener);
  edit(device);
  device.off('update', listener);
  return Y.mergeUpdates(updates);
}

function storedWith(...updates: Uint8Array[]): Y.Doc {
  const stored = new Y.Doc();
  for (const update of updates) Y.applyUpdate(stored, update);
  return stored;
}

describe('the structural check on an outbox update', () => {
  it('takes new intents by the owner, and nothing twice', () => {
    const device = new Y.Doc();
    const update = changeOn(device, (doc) => {
      doc.getMap('intents').set('i1', intent('i1'));
      doc.getMap('intents').set('i2', intent('i2'));
    });
    const first = checkOutboxUpdate(update, new Y.Doc(), OWNER);
    expect(first).toMatchObject({ ok: true, intents: [{ id: 'i1' }, { id: 'i2' }] });
    // The same frame again, once stored: harmless, nothing new.
    expect(checkOutboxUpdate(update, storedWith(update), OWNER)).toMatchObject({ ok: true, intents: [] });
  });

  it('refuses deletions, changes to existing intents, other maps and other authors', () => {
    const original = changeOn(new Y.Doc(), (doc) => doc.getMap('intents').set('i1', intent('i1')));
    const stored = storedWith(original);
    // Each attempt from a device that holds exactly what the server holds.
    const attempt = (edit: (doc: Y.Doc) => void): Uint8Array => changeOn(storedWith(original), edit);
    const cases: [string, Uint8Array][] = [
      [
        'a deletion',
        attempt((doc) => {
          doc.getMap('intents').delete('i1');
        }),
      ],
      // Writing over an intent deletes its old value: refused as a deletion.
      ['a deletion', attempt((doc) => doc.getMap('intents').set('i1', intent('i1')))],
      [
        'a change outside the intents',
        attempt((doc) => doc.getMap('verdicts').set('i9', { status: 'accepted' })),
      ],
      [
        "an intent in another person's name",
        attempt((doc) => doc.getMap('intents').set('i3', intent('i3', '18'))),
      ],
      ['an intent filed under another id', attempt((doc) => doc.getMap('intents').set('i4', intent('i5')))],
      ['an intent that is not valid', attempt((doc) => doc.getMap('intents').set('i6', { id: 'i6' }))],
      [
        'content that is not an intent',
        attempt((doc) => {
          doc.getText('intents2').insert(0, 'x');
        }),
      ],
    ];
    for (const [problem, update] of cases) {
      const result = checkOutboxUpdate(update, stored, OWNER);
      expect(result.ok ? 'accepted' : result.problem, problem).toContain(
        problem === 'content that is not an intent' ? 'outside' : problem,
      );
    }
  });

  it("refuses a change made in the server's name", () => {
    const forger = new Y.Doc();
    forger.clientID = SERVER_CLIENT_ID;
    const update = changeOn(forger, (doc) => doc.getMap('intents').set('i1', intent('i1')));
    expect(checkOutboxUpdate(update, new Y.Doc(), OWNER)).toEqual({
      ok: false,
      problem: "a change in the server's name",
    });
  });

  it('refuses changes that do not follow on from what is stored', () => {
    const device = new Y.Doc();
    changeOn(device, (doc) => doc.getMap('intents').set('i1', intent('i1')));
    const second = changeOn(device, (doc) => doc.getMap('intents').set('i2', intent('i2')));
    expect(checkOutboxUpdate(second, new Y.Doc(), OWNER)).toEqual({
      ok: false,
      problem: 'changes out of order',
    });
  });

  it('refuses crafted clocks past 2^53 before anything merges them (they hang Yjs’s merge loop)', () => {
    const bigClock = new Uint8Array([1, 1, 0, 254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 0]);
    const bigClockPair = new Uint8Array([
      2, 1, 0, 0, 0, 109, 1, 0, 254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 0,
    ]);
    for (const update of [bigClock, bigClockPair]) {
      expect(checkOutboxUpdate(update, new Y.Doc(), OWNER)).toEqual({
        ok: false,
        problem: 'a clock out of range',
      });
    }
    expect(checkOutboxUpdate(new Uint8Array(), new Y.Doc(), OWNER)).toMatchObject({ ok: false });
  });

  it('refuses a top-up or charge over £1,000, of no whole pence, or with no reason; takes £1,000 with one', () => {
    const entry = (amount: number, description: string): Intent => ({
      ...intent('e1'),
      type: 'wallet-entry',
      payload: { walletId: 'w1', kind: 'top-up', amount, description },
    });
    const check = (value: Intent) =>
      checkOutboxUpdate(
        changeOn(new Y.Doc(), (doc) => doc.getMap('intents').set('e1', value)),
        new Y.Doc(),
        OWNER,
      );
    for (const [amount, description] of [
      [MAX_WALLET_ENTRY_PENCE + 1, 'Cash at the office'],
      [0, 'Cash at the office'],
      [-500, 'Cash at the office'],
      [12.5, 'Cash at the office'],
      [500, '   '],
      [500, ''],
    ] as const) {
      const result = check(entry(amount, description));
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problem).toMatch(/^an intent that is not valid/);
    }
    expect(check(entry(MAX_WALLET_ENTRY_PENCE, 'Cheque for the residential trip'))).toMatchObject({
      ok: true,
      intents: [{ id: 'e1', payload: { amount: 100_000 } }],
    });
  });
});
