import { basename, dirname } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { openDatabase } from '../../../db/database.ts';
import { keyringOf } from '../../../secrets/keyring.ts';
import { runFeedJob, type FeedReply } from '../feed-job.ts';
import type { JobMessage, ReplyMessage } from './messages.ts';

/*
 * The ingest worker's side: each job opens its own connection to the school's SQLite file (WAL
 * lets the request thread keep reading meanwhile), runs the feed through, and closes it again.
 */

if (!parentPort) throw new Error('feed-worker.ts runs only as a worker thread');
const port = parentPort;

port.on('message', (message: JobMessage) => {
  void handle(message).then((reply) => {
    const answer: ReplyMessage = { id: message.id, reply };
    port.postMessage(answer);
  });
});

async function handle(message: JobMessage): Promise<FeedReply> {
  try {
    const keyring = keyringOf(message.keys.map(({ id, key }) => ({ id, key: Buffer.from(key) })));
    const db = openDatabase(dirname(message.dbFile), keyring, basename(message.dbFile));
    try {
      return await runFeedJob(db, message.job, new Date(message.now));
    } finally {
      db.close();
    }
  } catch (error) {
    // Logged here with its stack; the client gets a sentence, and the request thread records the run.
    console.error(error);
    return {
      status: 500,
      body: {
        error: 'internal-error',
        message: 'The server could not process this feed; nothing was changed. The error has been logged.',
      },
    };
  }
}
