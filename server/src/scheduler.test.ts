import { describe, expect, it } from 'vitest';
import { nextDailyRun } from './scheduler.ts';

describe('the 02:00 schedule', () => {
  it('is 02:00 London time: 02:00 UTC in winter, 01:00 UTC in summer', () => {
    expect(nextDailyRun(new Date('2026-11-28T12:00:00Z')).toISOString()).toBe('2026-11-29T02:00:00.000Z');
    expect(nextDailyRun(new Date('2026-07-01T00:30:00Z')).toISOString()).toBe('2026-07-01T01:00:00.000Z');
  });

  it('is right across both clock changes', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026: 02:00 BST is 01:00 UTC.
    expect(nextDailyRun(new Date('2026-03-28T12:00:00Z')).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // Clocks go back at 01:00 UTC on 25 October 2026: 02:00 GMT is 02:00 UTC.
    expect(nextDailyRun(new Date('2026-10-24T12:00:00Z')).toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(nextDailyRun(new Date('2026-10-25T01:30:00Z')).toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('moves to the next day once 02:00 has passed', () => {
    expect(nextDailyRun(new Date('2026-11-28T02:00:00Z')).toISOString()).toBe('2026-11-29T02:00:00.000Z');
  });
});
