/*
 * Bounded concurrency for expensive work (Argon2 takes 19 MiB and tens of milliseconds a go). At
 * most `concurrency` tasks run and `maxWaiting` wait; anything beyond is refused at once, so a
 * flood of sign-ins is answered quickly with "busy" instead of queueing memory without end.
 */

export class QueueFullError extends Error {
  constructor() {
    super('The server is busy checking passwords; try again in a moment.');
    this.name = 'QueueFullError';
  }
}

export class WorkQueue {
  #running = 0;
  #started = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Tasks begun since the process started: what tests and metrics read to see work done. */
  get started(): number {
    return this.#started;
  }

  /** Run `task` when a slot is free; throws QueueFullError at once when the queue is full. */
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.maxWaiting) throw new QueueFullError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    this.#started++;
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next waiter, so `running` never dips and lets a newcomer in first.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
