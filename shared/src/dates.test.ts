import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbInstant } from '../test/arbitraries.ts';
import {
  addDays,
  effectiveDay,
  formatDate,
  isIsoDate,
  isoDate,
  londonDate,
  londonInstant,
  londonWallClock,
} from './dates.ts';

describe('calendar dates', () => {
  it('knows real calendar dates', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-7-1')).toBe(false);
    expect(isIsoDate(20260701)).toBe(false);
    expect(() => isoDate('2026-04-31')).toThrow(RangeError);
  });

  it('adds days across months, years and clock changes', () => {
    expect(addDays(isoDate('2026-03-28'), 1)).toBe('2026-03-29');
    expect(addDays(isoDate('2026-10-25'), 1)).toBe('2026-10-26');
    expect(addDays(isoDate('2026-12-31'), 1)).toBe('2027-01-01');
    expect(addDays(isoDate('2026-03-01'), -1)).toBe('2026-02-28');
  });

  it('adding then subtracting days gives the date back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3650 }), fc.integer({ min: -800, max: 800 }), (start, days) => {
        const date = addDays(isoDate('2020-01-01'), start);
        expect(isIsoDate(date)).toBe(true);
        expect(addDays(addDays(date, days), -days)).toBe(date);
      }),
      { numRuns: 200 },
    );
  });

  it('formats dates as people read them', () => {
    expect(formatDate(isoDate('2026-07-24'))).toBe('24 Jul 2026');
    expect(formatDate(isoDate('2027-01-05'))).toBe('5 Jan 2027');
  });
});

describe('London time', () => {
  it('reads London dates, not UTC dates', () => {
    expect(londonDate(new Date('2026-07-24T23:30:00Z'))).toBe('2026-07-25');
    expect(londonDate(new Date('2026-12-24T23:30:00Z'))).toBe('2026-12-24');
    expect(londonWallClock(new Date('2026-10-25T01:30:00Z'))).toEqual({
      date: '2026-10-25',
      hour: 1,
      minute: 30,
    });
  });

  it('finds the instant of a London hour in winter, in summer and on both clock-change days', () => {
    expect(londonInstant(isoDate('2026-01-15'), 2).toISOString()).toBe('2026-01-15T02:00:00.000Z');
    expect(londonInstant(isoDate('2026-07-23'), 2).toISOString()).toBe('2026-07-23T01:00:00.000Z');
    // 29 March 2026: 01:00 GMT becomes 02:00 BST, so 02:00 is 01:00 UTC and 01:xx never happens.
    expect(londonInstant(isoDate('2026-03-29'), 2).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(() => londonInstant(isoDate('2026-03-29'), 1)).toThrow(RangeError);
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 02:00 happens once, at 02:00 UTC.
    expect(londonInstant(isoDate('2026-10-25'), 2).toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('switches the effective day at 02:00 London on the night the clocks go forward', () => {
    expect(effectiveDay(new Date('2026-03-28T23:59:00Z'))).toBe('2026-03-28');
    expect(effectiveDay(new Date('2026-03-29T00:59:00Z'))).toBe('2026-03-28'); // 00:59 GMT
    expect(effectiveDay(new Date('2026-03-29T01:00:00Z'))).toBe('2026-03-29'); // 02:00 BST
  });

  it('switches the effective day at 02:00 London on the night the clocks go back', () => {
    expect(effectiveDay(new Date('2026-10-24T23:30:00Z'))).toBe('2026-10-24'); // 00:30 BST
    expect(effectiveDay(new Date('2026-10-25T00:30:00Z'))).toBe('2026-10-24'); // first 01:30 (BST)
    expect(effectiveDay(new Date('2026-10-25T01:30:00Z'))).toBe('2026-10-24'); // second 01:30 (GMT)
    expect(effectiveDay(new Date('2026-10-25T01:59:00Z'))).toBe('2026-10-24'); // 01:59 GMT
    expect(effectiveDay(new Date('2026-10-25T02:00:00Z'))).toBe('2026-10-25'); // 02:00 GMT
  });

  it('the effective day D runs from 02:00 London on D to 02:00 London on D+1, every day', () => {
    fc.assert(
      fc.property(arbInstant, (time) => {
        const at = new Date(time);
        const day = effectiveDay(at);
        expect(londonInstant(day, 2).getTime()).toBeLessThanOrEqual(time);
        expect(time).toBeLessThan(londonInstant(addDays(day, 1), 2).getTime());
      }),
      { numRuns: 200 },
    );
  });

  it('the effective day never goes backwards as time passes', () => {
    fc.assert(
      fc.property(arbInstant, fc.integer({ min: 0, max: 3 * 24 * 60 }), (time, minutes) => {
        const earlier = effectiveDay(new Date(time));
        const later = effectiveDay(new Date(time + minutes * 60_000));
        expect(earlier <= later).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
