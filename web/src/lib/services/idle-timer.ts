/** Time as the timers see it; tests pass a fake one they can move forward by hand. */
export interface TimerClock {
  now(): number;
  /** Run `run` after about `ms`; returns a function that cancels it. */
  after(ms: number, run: () => void): () => void;
}

export const systemTimerClock: TimerClock = {
  now: () => Date.now(),
  after(ms, run) {
    const handle = setTimeout(run, ms);
    return () => {
      clearTimeout(handle);
    };
  },
};

/** setTimeout's longest wait (about 24.8 days); a longer one fires at once. A parent's 90-day session needs more. */
const LONGEST_WAIT_MS = 2_147_483_647;

export interface IdleTimer {
  /** Someone touched the device: start the idle time again. Cheap enough for every pointer move. */
  activity(): void;
  /** Look again now, e.g. when the page becomes visible after the device slept and timers were late. */
  check(): void;
  stop(): void;
}

/** Calls `onIdle` once, when `idleMs` pass without `activity()`. */
export function startIdleTimer(clock: TimerClock, idleMs: number, onIdle: () => void): IdleTimer {
  let lastActivity = clock.now();
  const deadline = watchDeadline(clock, () => lastActivity + idleMs, onIdle);
  return {
    activity() {
      lastActivity = clock.now();
    },
    check: deadline.check,
    stop: deadline.stop,
  };
}

/** Calls `onReached` once, when the clock reaches `at` (milliseconds since the epoch). */
export function runAt(clock: TimerClock, at: number, onReached: () => void): () => void {
  return watchUntil(clock, at, onReached).stop;
}

/** As `runAt`, with `check` to look again at once (after the device slept and timers were late). */
export function watchUntil(
  clock: TimerClock,
  at: number,
  onReached: () => void,
): { check: () => void; stop: () => void } {
  return watchDeadline(clock, () => at, onReached);
}

/** Runs `run` at most once per `intervalMs`, dropping calls in between; for writes on every touch. */
export function throttle(clock: Pick<TimerClock, 'now'>, intervalMs: number, run: () => void): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const now = clock.now();
    if (now - last < intervalMs) return;
    last = now;
    run();
  };
}

/**
 * One timer, re-armed when it wakes early (the deadline moved, or the wait was longer than
 * setTimeout allows). Moving the deadline never touches the timer, so activity costs nothing.
 */
function watchDeadline(
  clock: TimerClock,
  deadline: () => number,
  onReached: () => void,
): { check: () => void; stop: () => void } {
  let cancel = (): void => undefined;
  let isStopped = false;
  const stop = (): void => {
    isStopped = true;
    cancel();
  };
  const check = (): void => {
    if (isStopped) return;
    cancel();
    const wait = deadline() - clock.now();
    if (wait <= 0) {
      stop();
      onReached();
    } else {
      cancel = clock.after(Math.min(wait, LONGEST_WAIT_MS), check);
    }
  };
  check();
  return { check, stop };
}
