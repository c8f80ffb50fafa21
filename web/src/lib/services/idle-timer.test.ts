import { describe, expect, it, vi } from 'vitest';
import { runAt, startIdleTimer, throttle, watchUntil, type TimerClock } from './idle-timer';

/** A clock that moves only when told, firing due timers in order, like the browser would. */
function fakeClock(start = 0): TimerClock & { advance(ms: number): void; pending(): number } {
  let now = start;
  let timers: { due: number; run: () => void }[] = [];
  return {
    now: () => now,
    after(ms, run) {
      const timer = { due: now + ms, run };
      timers.push(timer);
      return () => {
        timers = timers.filter((each) => each !== timer);
      };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = timers.filter((each) => each.due <= end).sort((a, b) => a.due - b.due)[0];
        if (!next) break;
        timers = timers.filter((each) => each !== next);
        now = next.due;
        next.run();
      }
      now = end;
    },
    pending: () => timers.length,
  };
}

const MINUTE = 60_000;

describe('startIdleTimer', () => {
  it('locks once the idle time passes with no activity', () => {
    const clock = fakeClock();
    const onIdle = vi.fn();
    startIdleTimer(clock, 30 * MINUTE, onIdle);
    clock.advance(30 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    clock.advance(1);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('starts the idle time again on every activity, without a timer per activity', () => {
    const clock = fakeClock();
    const onIdle = vi.fn();
    const timer = startIdleTimer(clock, 30 * MINUTE, onIdle);
    for (let minute = 0; minute < 120; minute += 10) {
      clock.advance(10 * MINUTE);
      timer.activity();
    }
    expect(onIdle).not.toHaveBeenCalled();
    expect(clock.pending()).toBe(1);
    clock.advance(30 * MINUTE);
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('calls onIdle once only, however long the device then sits', () => {
    const clock = fakeClock();
    const onIdle = vi.fn();
    startIdleTimer(clock, MINUTE, onIdle);
    clock.advance(60 * MINUTE);
    expect(onIdle).toHaveBeenCalledOnce();
    expect(clock.pending()).toBe(0);
  });

  it('locks at once when checked after a sleep that held its timer back', () => {
    let now = 0;
    // A sleeping device: time passes, timers do not run.
    const sleepy: TimerClock = { now: () => now, after: () => () => undefined };
    const onIdle = vi.fn();
    const timer = startIdleTimer(sleepy, 30 * MINUTE, onIdle);
    now = 45 * MINUTE;
    timer.check();
    expect(onIdle).toHaveBeenCalledOnce();
  });

  it('never fires after stop', () => {
    const clock = fakeClock();
    const onIdle = vi.fn();
    const timer = startIdleTimer(clock, MINUTE, onIdle);
    timer.stop();
    clock.advance(10 * MINUTE);
    timer.check();
    expect(onIdle).not.toHaveBeenCalled();
    expect(clock.pending()).toBe(0);
  });
});

describe('runAt', () => {
  it('waits past setTimeout’s 24.8-day limit for a parent’s 90-day session', () => {
    const clock = fakeClock();
    const onReached = vi.fn();
    const day = 24 * 60 * MINUTE;
    runAt(clock, 90 * day, onReached);
    clock.advance(89 * day);
    expect(onReached).not.toHaveBeenCalled();
    clock.advance(day);
    expect(onReached).toHaveBeenCalledOnce();
  });

  it('runs at once for a time already past', () => {
    const clock = fakeClock(1_000);
    const onReached = vi.fn();
    runAt(clock, 500, onReached);
    expect(onReached).toHaveBeenCalledOnce();
  });

  it('can be cancelled', () => {
    const clock = fakeClock();
    const onReached = vi.fn();
    const cancel = runAt(clock, MINUTE, onReached);
    cancel();
    clock.advance(2 * MINUTE);
    expect(onReached).not.toHaveBeenCalled();
  });
});

describe('watchUntil', () => {
  it('fires at once when checked after the clock passed the deadline without its timer', () => {
    let now = 0;
    const clock: TimerClock = { now: () => now, after: () => () => undefined };
    const onReached = vi.fn();
    const watch = watchUntil(clock, MINUTE, onReached);
    now = 2 * MINUTE;
    watch.check();
    watch.check();
    expect(onReached).toHaveBeenCalledOnce();
  });
});

describe('throttle', () => {
  it('runs at most once per interval, the first call at once', () => {
    const clock = fakeClock();
    const run = vi.fn();
    const note = throttle(clock, MINUTE, run);
    note();
    note();
    expect(run).toHaveBeenCalledOnce();
    clock.advance(MINUTE - 1);
    note();
    expect(run).toHaveBeenCalledOnce();
    clock.advance(1);
    note();
    expect(run).toHaveBeenCalledTimes(2);
  });
});
