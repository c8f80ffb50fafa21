import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addPence, formatPence, isPence, negatePence, parsePounds, pence, sumPence } from './money.ts';

describe('formatPence', () => {
  it('formats pounds the way people read them', () => {
    expect(formatPence(pence(123456))).toBe('£1,234.56');
    expect(formatPence(pence(-305))).toBe('-£3.05');
    expect(formatPence(pence(0))).toBe('£0.00');
    expect(formatPence(pence(5))).toBe('£0.05');
    expect(formatPence(pence(1250))).toBe('£12.50');
    expect(formatPence(pence(100_000_000))).toBe('£1,000,000.00');
  });

  it('reads back as the same number of pence, in a well-formed shape', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (amount) => {
        const text = formatPence(pence(amount));
        expect(text).toMatch(/^-?£\d{1,3}(,\d{3})*\.\d{2}$/);
        const [pounds = '', rest = ''] = text
          .replace('-', '')
          .replace('£', '')
          .replaceAll(',', '')
          .split('.');
        const magnitude = Number(pounds) * 100 + Number(rest);
        expect(text.startsWith('-') ? -magnitude : magnitude).toBe(amount);
      }),
      { numRuns: 200 },
    );
  });
});

describe('pence', () => {
  it('rejects anything that is not a whole number of pence', () => {
    for (const bad of [1.5, 0.1, -3.05, Number.NaN, Infinity, -Infinity, 2 ** 53]) {
      expect(() => pence(bad), String(bad)).toThrow(RangeError);
      expect(isPence(bad)).toBe(false);
    }
    expect(isPence('12')).toBe(false);
    expect(pence(-7)).toBe(-7);
  });

  it('rejects every fractional amount', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: false }).filter((value) => !Number.isInteger(value)),
        (value) => {
          expect(() => pence(value)).toThrow(RangeError);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('negates zero to plain zero, never -0', () => {
    expect(Object.is(negatePence(pence(0)), 0)).toBe(true);
    expect(negatePence(pence(1250))).toBe(-1250);
    expect(addPence(pence(1250), pence(-1250))).toBe(0);
  });
});

describe('sumPence', () => {
  it('equals the plain sum of any integer amounts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1e9, max: 1e9 }), { maxLength: 50 }), (amounts) => {
        let plain = 0;
        for (const amount of amounts) plain += amount;
        expect(sumPence(amounts.map(pence))).toBe(plain);
      }),
      { numRuns: 200 },
    );
  });

  it('is zero for no entries', () => {
    expect(sumPence([])).toBe(0);
  });
});

describe('parsePounds', () => {
  it('reads what people type as whole pence', () => {
    expect(parsePounds('12.50')).toBe(1250);
    expect(parsePounds('£3')).toBe(300);
    expect(parsePounds(' 1,000.05 ')).toBe(100005);
    expect(parsePounds('0.1')).toBe(10);
    for (const bad of ['', '£', '12.505', '-5', '1,00', 'ten', '1e3', '12.'])
      expect(parsePounds(bad)).toBeNull();
  });

  it('reads back every amount formatPence writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (amount) => {
        expect(parsePounds(formatPence(pence(amount)))).toBe(amount);
      }),
      { numRuns: 200 },
    );
  });
});
