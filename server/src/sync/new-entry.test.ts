import fc from 'fast-check';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { newEntryUpdate } from './new-entry.ts';

describe('newEntryUpdate', () => {
  it('is byte for byte what Yjs writes for a new key, after any earlier writes by the same client', () => {
    const arbValue = fc.jsonValue().filter((value) => value !== null);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ minLength: 1 }), arbValue), { maxLength: 6 }),
        fc.string({ minLength: 1 }),
        arbValue,
        (earlier, key, value) => {
          const doc = new Y.Doc();
          doc.clientID = 1;
          for (const [earlierKey, earlierValue] of earlier) doc.getMap('other').set(earlierKey, earlierValue);
          const clock = Y.getState(doc.store, 1);
          const updates: Uint8Array[] = [];
          doc.on('update', (update: Uint8Array) => updates.push(update));
          doc.getMap('messages').set(key, value);
          expect(newEntryUpdate(1, clock, 'messages', key, value)).toEqual(updates[0]);
        },
      ),
    );
  });

  it('reads back as the entry in another copy of the document', () => {
    const doc = new Y.Doc();
    doc.clientID = 1;
    doc.getMap('messages').set('m1', { subject: 'First' });
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    Y.applyUpdate(copy, newEntryUpdate(1, Y.getState(doc.store, 1), 'messages', 'm2', { subject: 'Second' }));
    expect(copy.getMap('messages').toJSON()).toEqual({ m1: { subject: 'First' }, m2: { subject: 'Second' } });
  });
});
