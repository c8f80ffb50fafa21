/**
 * Failed attempts per key (an account, an address) in a sliding window. Too many and the key waits,
 * for a time that doubles with each further burst but is capped: a real person is slowed down,
 * never locked out for good. Kept in memory: one server process, and a restart forgives.
 */
export interface LimitRule {
  readonly attempts: number;
  readonly windowMs: number;
  readonly maxWaitMs: number;
}

interface Entry {
  failures: number[];
  strikes: number;
  blockedUntil: number;
  lastFailure: number;
  /** How things stood before the newest attempt, so that attempt (and a block it set off) can be given back. */
  before: { failures: number[]; strikes: number; blockedUntil: number } | null;
}

/** Strikes are forgotten after this long without a failure: a burst long ago costs nothing now. */
const STRIKE_MEMORY_MS = 24 * 60 * 60_000;

export class RateLimiter {
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly rule: LimitRule) {}

  /** Milliseconds to wait before trying again, or 0. */
  waitFor(key: string, now: number): number {
    const entry = this.#entries.get(key);
    return entry ? Math.max(0, entry.blockedUntil - now) : 0;
  }

  fail(key: string, now: number): void {
    const entry: Entry = this.#entries.get(key) ?? {
      failures: [],
      strikes: 0,
      blockedUntil: 0,
      lastFailure: now,
      before: null,
    };
    if (now - entry.lastFailure > STRIKE_MEMORY_MS) entry.strikes = 0;
    entry.before = {
      failures: [...entry.failures],
      strikes: entry.strikes,
      blockedUntil: entry.blockedUntil,
    };
    entry.lastFailure = now;
    entry.failures = entry.failures.filter((at) => now - at < this.rule.windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.rule.attempts) {
      entry.strikes++;
      const wait = Math.min(this.rule.maxWaitMs, this.rule.windowMs * 2 ** (entry.strikes - 1));
      entry.blockedUntil = now + wait;
      entry.failures = [];
    }
    this.#entries.set(key, entry);
    if (this.#entries.size > 100_000) this.#forget(now);
  }

  succeed(key: string): void {
    this.#entries.delete(key);
  }

  /**
   * Give back the newest attempt. Attempts are counted before the slow check they guard (so that
   * guesses sent at once each see the ones before), and one that turned out right is returned.
   */
  refund(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    if (entry.before) {
      // Whichever attempt is given back, one fewer was made: undo the newest, block and all.
      entry.failures = entry.before.failures;
      entry.strikes = entry.before.strikes;
      entry.blockedUntil = entry.before.blockedUntil;
      entry.before = null;
    } else {
      entry.failures.pop();
    }
  }

  /** Under a flood of new keys, drop those not waiting out a block before anything else. */
  #forget(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.blockedUntil <= now) this.#entries.delete(key);
    }
    if (this.#entries.size > 100_000) {
      const first = this.#entries.keys().next();
      if (!first.done) this.#entries.delete(first.value);
    }
  }
}

/** One account from one address: the person mistyping, or someone guessing at them. */
export const ACCOUNT_AT_ADDRESS_RULE: LimitRule = {
  attempts: 5,
  windowMs: 15 * 60_000,
  maxWaitMs: 60 * 60_000,
};
/** One account from anywhere: a higher bar, so guessing spread over many addresses is still slowed. */
export const ACCOUNT_RULE: LimitRule = { attempts: 20, windowMs: 15 * 60_000, maxWaitMs: 30 * 60_000 };
/** Authenticator codes from one signed-in account: a stolen session may not guess its way to a factor. */
export const SECOND_FACTOR_RULE: LimitRule = { attempts: 5, windowMs: 15 * 60_000, maxWaitMs: 60 * 60_000 };
/** One address across accounts; a school behind one NAT address shares it, so it is generous. */
export const ADDRESS_RULE: LimitRule = { attempts: 100, windowMs: 15 * 60_000, maxWaitMs: 30 * 60_000 };
