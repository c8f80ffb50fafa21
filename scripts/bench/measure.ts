export interface Measurement {
  readonly medianMs: number;
  readonly runs: number;
}

export interface Bench {
  readonly name: string;
  readonly baselineName: string;
  readonly note: string;
  readonly runs: number;
  readonly subject: () => unknown;
  readonly baseline: () => unknown;
}

/** Median wall time of `runs` calls after one warm-up; results are kept so nothing is optimised away. */
export function measure(task: () => unknown, runs: number): Measurement {
  const sink: unknown[] = [task()];
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    sink.push(task());
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  if (sink.length !== runs + 1) throw new Error('lost a result');
  return { medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN, runs };
}

/** `measure` for work that finishes later: each run's time is to its promise settling. */
export async function measureAsync(task: () => Promise<unknown>, runs: number): Promise<Measurement> {
  const sink: unknown[] = [await task()];
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    sink.push(await task());
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  if (sink.length !== runs + 1) throw new Error('lost a result');
  return { medianMs: times[Math.floor(times.length / 2)] ?? Number.NaN, runs };
}

/** One figure of the sync section: what was measured, as a ratio against its own yardstick. */
export interface SyncFigure {
  readonly name: string;
  readonly value: string;
  readonly ratio: number;
  readonly target: string;
  readonly note: string;
}
