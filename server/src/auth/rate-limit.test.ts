import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

const rule = { attempts: 3, windowMs: 60_000, maxWaitMs: 4 * 60_000 };

describe('the rate limiter', () => {
  it('blocks after the allowed failures, for longer each burst, never beyond the cap', () => {
    const limiter = new RateLimiter(rule);
    let now = 0;
    const burst = (): number => {
      for (let i = 0; i < 3; i++) limiter.fail('k', now);
      return limiter.waitFor('k', now);
    };
    expect(burst()).toBe(60_000);
    now += 60_000;
    expect(burst()).toBe(120_000);
    now += 120_000;
    expect(burst()).toBe(240_000);
    now += 240_000;
    expect(burst()).toBe(240_000);
  });

  it('forgets strikes after a quiet day, and a success clears the key', () => {
    const limiter = new RateLimiter(rule);
    for (let i = 0; i < 6; i++) limiter.fail('k', i);
    const later = 25 * 60 * 60_000;
    for (let i = 0; i < 3; i++) limiter.fail('k', later);
    expect(limiter.waitFor('k', later)).toBe(60_000);
    limiter.succeed('k');
    expect(limiter.waitFor('k', later)).toBe(0);
  });

  it('keeps one key’s block while others come and go', () => {
    const limiter = new RateLimiter(rule);
    for (let i = 0; i < 3; i++) limiter.fail('victim', 0);
    for (let i = 0; i < 100_005; i++) limiter.fail(`junk${i}`, 1);
    expect(limiter.waitFor('victim', 2)).toBeGreaterThan(0);
  });

  it('gives back an attempt, and the block that attempt set off, but never earlier ones', () => {
    const limiter = new RateLimiter(rule);
    limiter.fail('k', 0);
    limiter.fail('k', 0);
    limiter.fail('k', 0);
    expect(limiter.waitFor('k', 0)).toBe(60_000);
    limiter.refund('k');
    expect(limiter.waitFor('k', 0)).toBe(0);
    // The two before it still count: one more failure blocks again.
    limiter.fail('k', 0);
    expect(limiter.waitFor('k', 0)).toBe(60_000);
  });
});
