import type { FeedJob, FeedReply } from '../feed-job.ts';

/** What the request thread sends the ingest worker: a job, the file it is for, and the server key. */
export interface JobMessage {
  readonly id: number;
  readonly dbFile: string;
  readonly keys: readonly { readonly id: string; readonly key: Uint8Array }[];
  readonly job: FeedJob;
  /** The request thread's clock, as an ISO instant: tests move it. */
  readonly now: string;
}

export interface ReplyMessage {
  readonly id: number;
  readonly reply: FeedReply;
}
