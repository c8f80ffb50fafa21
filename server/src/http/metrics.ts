/*
 * Counters for what is too frequent, and too dull, to audit row by row: anonymous requests refused
 * (the PWA's own signed-out start makes one). Read by school admins through the deep health check.
 */

export const COUNTERS = ['anonymous-refusals'] as const;
export type Counter = (typeof COUNTERS)[number];

export class Metrics {
  readonly #counts = new Map<Counter, number>();
  readonly #lastLogged = new Map<Counter, { at: number; count: number }>();

  increment(counter: Counter): number {
    const count = (this.#counts.get(counter) ?? 0) + 1;
    this.#counts.set(counter, count);
    return count;
  }

  snapshot(): Record<Counter, number> {
    return Object.fromEntries(COUNTERS.map((counter) => [counter, this.#counts.get(counter) ?? 0])) as Record<
      Counter,
      number
    >;
  }

  /**
   * A sampled log line: the first occurrence, then at most one a minute saying how many came since.
   * Returns the line to write, or null when this one is only counted.
   */
  sample(counter: Counter, nowMs: number, describe: (since: number) => string): string | null {
    const count = this.#counts.get(counter) ?? 0;
    const last = this.#lastLogged.get(counter);
    if (last && nowMs - last.at < 60_000) return null;
    this.#lastLogged.set(counter, { at: nowMs, count });
    return describe(count - (last?.count ?? 0));
  }
}
