import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from '../../../db/database.ts';
import { keyringFor } from '../../../db/database.ts';
import { runFeedJob, sourceOf, type FeedJob, type FeedReply } from '../feed-job.ts';
import { recordRefusal } from '../../core/ingest.ts';
import type { JobMessage, ReplyMessage } from './messages.ts';

/*
 * Feeds are read, checked and applied on a worker thread, one at a time, so the thread answering
 * requests never parses a feed. The worker starts on the first feed and stops after a quiet while;
 * it has a memory ceiling of its own, so a feed that would exhaust memory kills the worker (and is
 * refused), never the server. A queue too long is answered "busy" at once.
 */

export interface FeedWorkerOptions {
  /** Feeds that may wait behind the one being read; more are answered 503. */
  readonly maxWaiting: number;
  /** Stop the worker after this long without a feed. */
  readonly idleMs: number;
  /** The worker's heap ceiling. */
  readonly maxHeapMb: number;
  /** A feed still being read after this long is given up (the worker is stopped and replaced). */
  readonly jobTimeoutMs: number;
}

const DEFAULTS: FeedWorkerOptions = {
  maxWaiting: 8,
  idleMs: 60_000,
  maxHeapMb: 1536,
  jobTimeoutMs: 10 * 60_000,
};

class JobTimeout extends Error {}

/** Loads the worker's TypeScript through tsx, whether the server runs under tsx or a test runner. */
function bootCode(): string {
  // tsx's ESM entry, as its package.json exports it (a require() resolution would give the CJS one).
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('tsx/package.json');
  const tsx = pathToFileURL(join(dirname(manifest), 'dist', 'esm', 'api', 'index.mjs')).href;
  const worker = new URL('./feed-worker.ts', import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`;
}

interface Pending {
  readonly resolve: (reply: FeedReply) => void;
  readonly reject: (error: Error) => void;
}

export class FeedWorker {
  readonly #options: FeedWorkerOptions;
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #tail: Promise<unknown> = Promise.resolve();
  #queued = 0;
  #idle: NodeJS.Timeout | null = null;

  constructor(options: Partial<FeedWorkerOptions> = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Run one feed for the school in `db`'s file; always answers, never throws. */
  run(db: Db, job: FeedJob, now: Date): Promise<FeedReply> {
    // An in-memory database cannot be opened from another thread: read it here (tests only).
    if (db.memory) return runFeedJob(db, job, now);
    if (this.#queued > this.#options.maxWaiting) {
      const message = 'Other feeds are being read; send this one again in a minute. Nothing was changed.';
      return Promise.resolve(refusedRun(db, job, now, 503, 'busy', message));
    }
    this.#queued++;
    const result = this.#tail.then(() => this.#dispatch(db, job, now));
    this.#tail = result.catch(() => undefined);
    return result
      .then((reply) => recorded(db, job, now, reply))
      .catch((error: unknown) => failed(db, job, now, error))
      .finally(() => {
        this.#queued--;
        this.#scheduleIdleStop();
      });
  }

  /** Stop the worker now (server shutdown, tests). */
  async stop(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) await worker.terminate();
  }

  #dispatch(db: Db, job: FeedJob, now: Date): Promise<FeedReply> {
    const worker = this.#ensureWorker();
    const id = this.#nextId++;
    const message: JobMessage = {
      id,
      dbFile: db.name,
      keys: keyringFor(db).all.map(({ id: keyId, key }) => ({ id: keyId, key: new Uint8Array(key) })),
      job,
      now: now.toISOString(),
    };
    const body = 'body' in job ? job.body : null;
    // Hand the body over without copying when it owns its whole buffer (it does, from a request).
    const transfer =
      body !== null && body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
        ? [body.buffer]
        : [];
    return new Promise<FeedReply>((resolve, reject) => {
      // A feed that never finishes must not hold every other school's feeds behind it.
      const deadline = setTimeout(() => {
        this.#pending.delete(id);
        reject(new JobTimeout(`the feed took longer than ${this.#options.jobTimeoutMs} ms`));
        if (this.#worker === worker) this.#worker = null;
        void worker.terminate();
      }, this.#options.jobTimeoutMs);
      deadline.unref();
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T) => {
          clearTimeout(deadline);
          finish(value);
        };
      this.#pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      worker.postMessage(message, transfer);
    });
  }

  #ensureWorker(): Worker {
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = null;
    if (this.#worker) return this.#worker;
    const worker = new Worker(bootCode(), {
      eval: true,
      resourceLimits: { maxOldGenerationSizeMb: this.#options.maxHeapMb },
    });
    worker.unref();
    worker.on('message', ({ id, reply }: ReplyMessage) => {
      const pending = this.#pending.get(id);
      this.#pending.delete(id);
      pending?.resolve(reply);
    });
    const fail = (error: Error): void => {
      if (this.#worker === worker) this.#worker = null;
      for (const pending of this.#pending.values()) pending.reject(error);
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      fail(new Error(`the ingest worker stopped (exit code ${code})`));
    });
    this.#worker = worker;
    return worker;
  }

  #scheduleIdleStop(): void {
    if (this.#queued > 0 || !this.#worker) return;
    if (this.#idle) clearTimeout(this.#idle);
    this.#idle = setTimeout(() => {
      if (this.#queued === 0) void this.stop();
    }, this.#options.idleMs);
    this.#idle.unref();
  }
}

/** A reply of the worker's own failure (it caught an error) is recorded here, as every refusal is. */
function recorded(db: Db, job: FeedJob, now: Date, reply: FeedReply): FeedReply {
  if (reply.status !== 500 || reply.body.runId !== undefined) return reply;
  return refusedRun(db, job, now, 500, 'feed-failed', String(reply.body.message));
}

/** A feed refused here, on the request thread, recorded like any other so sync health sees it. */
function refusedRun(
  db: Db,
  job: FeedJob,
  now: Date,
  status: 500 | 503,
  code: string,
  message: string,
): FeedReply {
  const runId = recordRefusal(db, job.schoolId, sourceOf(job), [{ where: '', code, message }], now, 0);
  return { status, body: { error: code, runId, message } };
}

/** The worker died under the feed (out of memory, most likely) or ran out of time: refused, recorded. */
function failed(db: Db, job: FeedJob, now: Date, error: unknown): FeedReply {
  const out =
    error instanceof Error &&
    /ERR_WORKER_OUT_OF_MEMORY|out of memory/i.test(
      `${String((error as { code?: string }).code)} ${error.message}`,
    );
  const message =
    error instanceof JobTimeout
      ? 'Reading this feed took too long, so it was stopped; nothing was changed. The error has been logged.'
      : out
        ? 'This feed needs more memory to read than the server allows; nothing was changed. Send it in smaller parts, or as a changeset.'
        : 'The server could not process this feed; nothing was changed. The error has been logged.';
  console.error(error);
  return refusedRun(db, job, now, 500, 'feed-failed', message);
}

/** One ingest worker for the process: feeds for every school queue here. */
export const feedWorker = new FeedWorker();
