import { effectiveDay } from '@schoolping/shared';
import type { Db } from '../../db/database.ts';
import { schoolById, type SchoolRow } from '../../db/school-store.ts';
import { acceptHeld, heldSnapshotOwner, HeldSnapshotError } from '../core/held.ts';
import { ingestBatch, recordRefusal } from '../core/ingest.ts';
import { readOneRosterBundle, type BundleResult } from '../oneroster/bundle.ts';
import { parseOneRoster } from '../oneroster/parse.ts';
import type { RunSource } from '../core/runs.ts';
import type { IngestIssue, ParseResult } from '../core/types.ts';
import { listConnections, pullAndIngest } from '../xod/pull.ts';
import { parseXporter } from '../xporter/parse.ts';

/*
 * One pushed feed, from its raw bytes to the stored run: decode, check, translate and apply. It
 * runs in the ingest worker (ingest/intake/worker/), never on the thread that answers requests, so a
 * 100,000-row feed does not make anyone else wait.
 */

export type FeedJob =
  /** Pull from the school's Xporter on Demand connection and apply what comes back. */
  | { readonly kind: 'xod-pull'; readonly schoolId: number }
  /** Apply a snapshot held for lacking many pupils: an admin confirmed they left. */
  | {
      readonly kind: 'held-accept';
      readonly schoolId: number;
      readonly heldId: number;
      readonly source: RunSource;
    }
  | { readonly kind: 'xporter'; readonly schoolId: number; readonly body: Uint8Array<ArrayBuffer> }
  | { readonly kind: 'oneroster-zip'; readonly schoolId: number; readonly body: Uint8Array<ArrayBuffer> }
  | {
      readonly kind: 'oneroster-form';
      readonly schoolId: number;
      readonly body: Uint8Array<ArrayBuffer>;
      readonly contentType: string;
    };

export interface FeedReply {
  readonly status: 200 | 202 | 400 | 403 | 404 | 409 | 422 | 500 | 503;
  readonly body: Readonly<Record<string, unknown>>;
}

const SOURCES = {
  'xod-pull': 'xporter-pull',
  xporter: 'xporter',
  'oneroster-zip': 'oneroster',
  'oneroster-form': 'oneroster',
} as const satisfies Record<Exclude<FeedJob['kind'], 'held-accept'>, RunSource>;

export const sourceOf = (job: FeedJob): RunSource =>
  job.kind === 'held-accept' ? job.source : SOURCES[job.kind];

export async function runFeedJob(db: Db, job: FeedJob, now: Date): Promise<FeedReply> {
  const started = performance.now();
  const school = schoolById(db, job.schoolId);
  if (!school)
    return { status: 404, body: { error: 'no-school', message: 'That school is not on this server.' } };
  if (job.kind === 'xod-pull') return pull(db, school, now);
  if (job.kind === 'held-accept') return acceptHeldJob(db, school, job.heldId, now);
  const refuse = (status: 400 | 422, errors: readonly IngestIssue[], message?: string): FeedReply => {
    const runId = recordRefusal(db, school.id, sourceOf(job), errors, now, performance.now() - started);
    const first = errors[0];
    return {
      status,
      body: {
        error: status === 400 && first ? first.code : 'invalid-feed',
        runId,
        message: message ?? first?.message ?? 'Nothing was changed.',
        errors,
      },
    };
  };
  const read = await readFeed(db, school, job, now);
  if ('unreadable' in read) return refuse(400, [read.unreadable]);
  const parsed = read.parsed;
  if (!parsed.ok)
    return refuse(422, parsed.errors, 'Nothing was changed: fix these and send the feed again.');
  const { batch } = parsed;
  if (batch.estab !== null && batch.estab !== school.estab) {
    const errors: IngestIssue[] = [
      {
        where: job.kind === 'xporter' ? '/SchoolInfo/0/EstabId' : 'orgs.csv',
        code: 'wrong-school',
        message: `This feed is for establishment ${batch.estab}, but the key belongs to ${school.name} (${school.estab}).`,
      },
    ];
    const runId = recordRefusal(db, school.id, sourceOf(job), errors, now, performance.now() - started);
    return { status: 403, body: { error: 'wrong-school', runId, message: errors[0]?.message ?? '', errors } };
  }
  // Read and checked; from here the school's roster is being written (tests kill the server after this line).
  console.error(`ingest: applying a ${sourceOf(job)} feed for school ${school.id}`);
  const result = ingestBatch(db, school, batch, sourceOf(job), now);
  if (result.outcome === 'held') {
    const message = `Held for an admin to check: ${result.missing} of ${result.onRoll} pupils on roll are missing from this snapshot without a leave date.`;
    return {
      status: 202,
      body: { runId: result.runId, held: true, heldId: result.heldId, message, warnings: result.warnings },
    };
  }
  const { runId, counts, byKind, warnings } = result;
  return { status: 200, body: { runId, counts, byKind, warnings } };
}

function acceptHeldJob(db: Db, school: SchoolRow, heldId: number, now: Date): FeedReply {
  if (heldSnapshotOwner(db, heldId)?.schoolId !== school.id)
    return {
      status: 404,
      body: {
        error: 'no-held-snapshot',
        message: `There is no held snapshot ${heldId} waiting for a decision.`,
      },
    };
  try {
    const outcome = acceptHeld(db, heldId, now);
    return { status: 200, body: { ...outcome } };
  } catch (error) {
    if (error instanceof HeldSnapshotError)
      return { status: 409, body: { error: 'held-snapshot-stale', message: error.message } };
    throw error;
  }
}

async function pull(db: Db, school: SchoolRow, now: Date): Promise<FeedReply> {
  const connection = listConnections(db).find((each) => each.schoolId === school.id);
  if (!connection)
    return {
      status: 404,
      body: { error: 'no-connection', message: `${school.name} has no Xporter connection.` },
    };
  const outcome = await pullAndIngest(db, school, connection, () => now);
  return { status: 200, body: outcome };
}

type Read = { readonly parsed: ParseResult } | { readonly unreadable: IngestIssue };

async function readFeed(
  db: Db,
  school: SchoolRow,
  job: Exclude<FeedJob, { kind: 'xod-pull' | 'held-accept' }>,
  now: Date,
): Promise<Read> {
  if (job.kind === 'xporter') {
    let body: unknown;
    try {
      body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(job.body));
    } catch (error) {
      const detail = error instanceof Error ? error.message : 'unreadable';
      return {
        unreadable: {
          where: '',
          code: 'invalid-json',
          message: `The body is not valid UTF-8 JSON (${detail}). Nothing was changed.`,
        },
      };
    }
    return { parsed: parseXporter(body) };
  }
  let bundle: BundleResult;
  if (job.kind === 'oneroster-zip') {
    bundle = await readOneRosterBundle({ zip: job.body });
  } else {
    const files = await formFiles(job.body, job.contentType);
    if ('unreadable' in files) return files;
    if ('badFile' in files) return { parsed: { ok: false, errors: [files.badFile] } };
    bundle = await readOneRosterBundle({ files: files.files });
  }
  if (!bundle.ok) return { parsed: { ok: false, errors: bundle.errors } };
  const options = { today: effectiveDay(now), estab: school.estab, firstImport: !hasPupils(db, school.id) };
  return { parsed: parseOneRoster(bundle.files, options) };
}

type FormFiles =
  | { readonly files: ReadonlyMap<string, string> }
  /** A file the form holds that cannot be read as one (not UTF-8, or there twice). */
  | { readonly badFile: IngestIssue }
  | { readonly unreadable: IngestIssue };

/** The CSV files of a multipart upload; a body that is not a readable form is refused in words. */
async function formFiles(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormFiles> {
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return {
      unreadable: {
        where: '',
        code: 'unreadable-form',
        message:
          'The body is not a readable multipart form (it is empty, cut short, or its boundary does not match the Content-Type). Nothing was changed.',
      },
    };
  }
  const files = new Map<string, string>();
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  for (const value of form.values()) {
    if (typeof value === 'string') continue;
    if (files.has(value.name))
      return {
        badFile: {
          where: value.name,
          code: 'duplicate-file',
          message: `The form holds ${value.name} twice; attach each file once.`,
        },
      };
    try {
      files.set(value.name, utf8.decode(await value.arrayBuffer()));
    } catch {
      return {
        badFile: {
          where: value.name,
          code: 'not-utf8',
          message: `${value.name} is not UTF-8 text; save it as UTF-8 and send it again.`,
        },
      };
    }
  }
  if (files.size === 0) {
    return {
      unreadable: {
        where: '',
        code: 'no-files',
        message: 'The form holds no files: attach the OneRoster CSV files (manifest.csv, users.csv, …).',
      },
    };
  }
  return { files };
}

function hasPupils(db: Db, schoolId: number): boolean {
  return (
    db.prepare("SELECT 1 FROM mis_records WHERE school_id = ? AND kind = 'pupil' LIMIT 1").get(schoolId) !==
    undefined
  );
}
