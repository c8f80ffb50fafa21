import { describe, expect, it } from 'vitest';
import { clockFromEnv } from './clock.ts';

describe('SCHOOLPING_CLOCK', () => {
  it('shifts the clock by a fixed offset, so time still passes', () => {
    const real = Date.parse('2026-12-01T10:00:00Z');
    const { clock, notice } = clockFromEnv({ SCHOOLPING_CLOCK: '2027-07-24T09:00:00+01:00' }, real);
    const offset = clock().getTime() - Date.now();
    expect(Math.abs(offset - (Date.parse('2027-07-24T08:00:00Z') - real))).toBeLessThan(1000);
    expect(notice).toContain('235 days ahead of real time');
  });

  it('is the real clock when unset, and refuses what is not an instant', () => {
    expect(clockFromEnv({}).notice).toBeNull();
    expect(() => clockFromEnv({ SCHOOLPING_CLOCK: 'next July' })).toThrow(/must be an instant/);
    expect(() => clockFromEnv({ SCHOOLPING_CLOCK: '2027-13-40T00:00:00Z' })).toThrow(/must be an instant/);
  });
});
