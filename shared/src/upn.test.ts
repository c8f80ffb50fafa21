import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidUpn, makeUpn, upnCheckLetter } from './upn.ts';

/** The DfE's letter values for the check letter and for a temporary UPN's last character. */
const DFE_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';
/** Characters a typo could put anywhere: digits, every capital, lower case and punctuation. */
const TYPO_TEXT = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab -/';
const TYPO_CHARS = Array.from({ length: TYPO_TEXT.length }, (_, index) => TYPO_TEXT.charAt(index));

const arbUpnParts = fc.record({
  laCode: fc.integer({ min: 0, max: 999 }),
  estab: fc.integer({ min: 0, max: 9999 }),
  year: fc.integer({ min: 0, max: 2199 }),
  serial: fc.integer({ min: 0, max: 999 }),
});
const arbUpn = arbUpnParts.map(({ laCode, estab, year, serial }) => makeUpn(laCode, estab, year, serial));

describe('isValidUpn', () => {
  it('accepts the demo school example B801200005001', () => {
    expect(isValidUpn('B801200005001')).toBe(true);
  });

  it('computes the check letter by the DfE weights (2 to 13) modulo 23', () => {
    // 801200005001: 8x2 + 1x4 + 2x5 + 5x10 + 1x13 = 93 = 4 x 23 + 1, and the letter for 1 is B.
    expect(upnCheckLetter('801200005001')).toBe('B');
    expect(isValidUpn('C801200005001')).toBe(false);
    // 207000016049: 2x2 + 7x4 + 1x9 + 6x10 + 4x12 + 9x13 = 266 = 11 x 23 + 13, and 13 is P.
    expect(isValidUpn('P207000016049')).toBe(true);
    expect(isValidUpn('Q207000016049')).toBe(false);
  });

  it('accepts a temporary UPN whose last letter carries the DfE value of the digit it replaces', () => {
    // The DfE gives B the value 1 in position 13, so B80120000500B has the same weighted sum.
    expect(isValidUpn('B80120000500B')).toBe(true);
    expect(isValidUpn('B80120000500C')).toBe(false);
  });

  it('rejects wrong shapes', () => {
    for (const bad of [
      '',
      'B80120000500',
      'B8012000050011',
      'b801200005001',
      'I801200005001',
      ' B801200005001',
    ]) {
      expect(isValidUpn(bad), bad).toBe(false);
    }
  });

  it('makeUpn always builds a valid UPN made of its padded parts', () => {
    fc.assert(
      fc.property(arbUpnParts, ({ laCode, estab, year, serial }) => {
        const upn = makeUpn(laCode, estab, year, serial);
        expect(upn).toHaveLength(13);
        expect(upn.slice(1)).toBe(
          String(laCode).padStart(3, '0') +
            String(estab).padStart(4, '0') +
            String(year % 100).padStart(2, '0') +
            String(serial).padStart(3, '0'),
        );
        expect(isValidUpn(upn)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('makeUpn refuses a serial that does not fit in three digits', () => {
    expect(() => makeUpn(801, 2000, 26, 1000)).toThrow(RangeError);
  });

  it('changing any one character of a valid UPN makes it invalid (except the temporary-UPN twin)', () => {
    fc.assert(
      fc.property(
        arbUpn,
        fc.integer({ min: 0, max: 12 }),
        fc.constantFrom(...TYPO_CHARS),
        (upn, position, replacement) => {
          const original = upn.charAt(position);
          fc.pre(replacement !== original);
          const changed = upn.slice(0, position) + replacement + upn.slice(position + 1);
          // The one change the DfE scheme cannot see: the last digit swapped for the letter with the
          // same value (0 -> A, 9 -> K) is the same pupil's number written as a temporary UPN.
          const temporaryTwin = position === 12 && DFE_LETTERS.indexOf(replacement) === Number(original);
          expect(isValidUpn(changed)).toBe(temporaryTwin);
        },
      ),
      { numRuns: 200 },
    );
  });
});
