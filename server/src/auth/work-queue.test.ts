import { describe, expect, it } from 'vitest';
import { QueueFullError, WorkQueue } from './work-queue.ts';

describe('WorkQueue', () => {
  it('runs at most `concurrency` tasks, queues `maxWaiting`, and refuses the rest at once', async () => {
    const queue = new WorkQueue(2, 3);
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const task = () =>
      new Promise<string>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve('done');
        });
      });
    const outcomes = Array.from({ length: 10 }, () =>
      queue.run(task).then(
        (value) => value,
        (error: unknown) => (error instanceof QueueFullError ? 'busy' : 'other'),
      ),
    );
    // Let the two admitted tasks start, then release each task as it starts.
    for (let released = 0; released < 5; released++) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      releases.shift()?.();
    }
    const results = await Promise.all(outcomes);
    expect(results.filter((each) => each === 'done')).toHaveLength(5);
    expect(results.filter((each) => each === 'busy')).toHaveLength(5);
    expect(peak).toBe(2);
    expect(queue.running).toBe(0);
    expect(queue.waiting).toBe(0);
  });

  it('frees the slot when a task fails', async () => {
    const queue = new WorkQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
