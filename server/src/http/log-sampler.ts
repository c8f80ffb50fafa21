/*
 * A log line for something too frequent to log each time (anonymous requests refused: the PWA's own
 * signed-out start makes one): the first occurrence, then at most one a minute saying how many came
 * since. The running total is a Prometheus counter (see prometheus.ts); this only paces the log.
 */
export class LogSampler {
  #since = 0;
  #lastAt: number | null = null;

  constructor(private readonly everyMs = 60_000) {}

  /** Count one occurrence; returns the line to write now, or null when it is only counted. */
  note(nowMs: number, describe: (since: number) => string): string | null {
    this.#since++;
    if (this.#lastAt !== null && nowMs - this.#lastAt < this.everyMs) return null;
    const line = describe(this.#since);
    this.#lastAt = nowMs;
    this.#since = 0;
    return line;
  }
}
