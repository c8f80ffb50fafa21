import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOC_KINDS, type DocRef } from '../auth/policy.ts';
import { decodeNameId, docName, encodeNameId, parseDocName } from './doc-names.ts';

const arbRef: fc.Arbitrary<DocRef> = fc
  .record({
    kind: fc.constantFrom(...DOC_KINDS),
    schoolId: fc.integer({ min: 1, max: 999_999_999 }),
    contact: fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9-][A-Za-z0-9_-]{0,20}$/),
      fc.string({ minLength: 1, maxLength: 30 }),
    ),
    userId: fc.integer({ min: 1, max: 10_000_000 }),
    year: fc.integer({ min: 2000, max: 2099 }),
  })
  .map(({ kind, schoolId, contact, userId, year }) => {
    switch (kind) {
      case 'parent-inbox':
        return { kind, schoolId, owner: contact, academicYear: year };
      case 'parent-wallet':
        return { kind, schoolId, owner: contact, academicYear: null };
      case 'outbox':
        return { kind, schoolId, owner: String(userId), academicYear: null };
      default:
        return { kind, schoolId, owner: null, academicYear: null };
    }
  });

describe('document names', () => {
  it('are URL-safe and name exactly the document they were made from, whatever the MIS ids', () => {
    fc.assert(
      fc.property(arbRef, (ref) => {
        const name = docName(ref);
        expect(name).toMatch(/^[A-Za-z0-9._-]+$/);
        expect(parseDocName(name)).toEqual(ref);
      }),
    );
  });

  it('give each contact id one spelling only', () => {
    expect(encodeNameId('C42')).toBe('C42');
    expect(encodeNameId('a.b')).toBe('_0061002e0062');
    expect(decodeNameId('_0061002e0062')).toBe('a.b');
    // 'A' is written plainly, so its hex spelling names nothing.
    expect(decodeNameId('_0041')).toBeNull();
    expect(parseDocName('s1.wallet._0041')).toBeNull();
  });

  it('refuse anything that is not exactly a name we make', () => {
    for (const name of [
      '',
      's0.directory',
      's01.directory',
      's1.directory.extra',
      's1.inbox.C1',
      's1.inbox.C1.1999',
      's1.outbox.0',
      's1.outbox.abc',
      's1.unknown',
      '../s1.sent',
      's1.sent%00',
      `s1.wallet.${'a'.repeat(400)}`,
    ]) {
      expect(parseDocName(name), name).toBeNull();
    }
  });
});
