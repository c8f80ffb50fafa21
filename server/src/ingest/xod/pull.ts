import type { Db } from '../../db/database.ts';
import type { SchoolRow } from '../../db/school-store.ts';
import { keyringFor } from '../../db/database.ts';
import { xodSecretPurpose } from '../../secrets/at-rest.ts';
import { seal, unseal } from '../../secrets/sealed.ts';
import { ingestBatch, recordRefusal, type IngestOutcome } from '../core/ingest.ts';
import { recordRun, NO_COUNTS } from '../core/runs.ts';
import type { IngestIssue } from '../core/types.ts';
import { pullXporter } from './client.ts';
import type { XodTokenCache } from './types.ts';
import { parseXporter } from '../xporter/parse.ts';

export interface XodConnection {
  readonly schoolId: number;
  readonly baseUrl: string;
  readonly tokenUrl: string;
  /** The estab Groupcall knows the school by, which can differ from its DfE number. */
  readonly xodEstab: string;
  readonly relyingParty: string;
  readonly secret: string;
  readonly everyHours: number;
}

export const GROUPCALL_URLS = {
  baseUrl: 'https://xporter.groupcall.com',
  tokenUrl: 'https://login.groupcall.com/idaas/sts/STS/GetToken',
} as const;

/** The secret is sealed under the server key; only this module opens it, to pull. */
export function saveConnection(db: Db, connection: XodConnection): void {
  db.prepare(
    `INSERT INTO xod_connections (school_id, base_url, token_url, xod_estab, relying_party, secret, every_hours)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (school_id) DO UPDATE SET base_url = excluded.base_url, token_url = excluded.token_url,
       xod_estab = excluded.xod_estab, relying_party = excluded.relying_party, secret = excluded.secret,
       every_hours = excluded.every_hours`,
  ).run(
    connection.schoolId,
    connection.baseUrl,
    connection.tokenUrl,
    connection.xodEstab,
    connection.relyingParty,
    seal(keyringFor(db), connection.secret, xodSecretPurpose(connection.schoolId)),
    connection.everyHours,
  );
}

export function listConnections(db: Db): XodConnection[] {
  const rows = db
    .prepare(
      `SELECT school_id AS schoolId, base_url AS baseUrl, token_url AS tokenUrl, xod_estab AS xodEstab,
              relying_party AS relyingParty, secret, every_hours AS everyHours FROM xod_connections`,
    )
    .all() as XodConnection[];
  const keyring = keyringFor(db);
  return rows.map((row) => ({ ...row, secret: unseal(keyring, row.secret, xodSecretPurpose(row.schoolId)) }));
}

interface PullOptions {
  readonly fetch?: typeof fetch;
  readonly tokenCache?: XodTokenCache;
  readonly timeoutMs?: number;
}

function failedRun(
  db: Db,
  schoolId: number,
  errors: readonly IngestIssue[],
  at: Date,
  durationMs: number,
): number {
  return recordRun(db, {
    schoolId,
    source: 'xporter-pull',
    mode: null,
    outcome: 'failed',
    receivedAt: at,
    durationMs,
    counts: NO_COUNTS,
    warnings: [],
    errors,
  });
}

export type PullOutcome =
  | IngestOutcome
  | {
      readonly outcome: 'failed' | 'rejected';
      readonly runId: number;
      readonly errors: readonly IngestIssue[];
    };

/**
 * Pull a full snapshot and apply it like a push. Full snapshots every time: absence then means
 * "left" and the held check protects against a half-empty answer, which a changeset cannot.
 */
export async function pullAndIngest(
  db: Db,
  school: SchoolRow,
  connection: XodConnection,
  now: () => Date,
  options: {
    readonly fetch?: typeof fetch;
    readonly tokenCache?: XodTokenCache;
    readonly timeoutMs?: number;
  } = {},
): Promise<PullOutcome> {
  try {
    return await pullAndApply(db, school, connection, now, options);
  } catch (error) {
    // Whatever went wrong, the run is recorded: a pull that dies silently looks like a healthy feed.
    const errors = [
      {
        where: '',
        code: 'xod-internal',
        message: `The pull stopped: ${error instanceof Error ? error.message : String(error)}`,
      },
    ];
    return { outcome: 'failed', runId: failedRun(db, school.id, errors, now(), 0), errors };
  }
}

async function pullAndApply(
  db: Db,
  school: SchoolRow,
  connection: XodConnection,
  now: () => Date,
  options: PullOptions,
): Promise<PullOutcome> {
  const started = performance.now();
  const pulled = await pullXporter(
    {
      baseUrl: connection.baseUrl,
      tokenUrl: connection.tokenUrl,
      estab: connection.xodEstab,
      relyingParty: connection.relyingParty,
      secret: connection.secret,
    },
    { ...options, now },
  );
  if (!pulled.ok) {
    const errors = [
      { where: pulled.error.endpoint ?? '', code: `xod-${pulled.error.code}`, message: pulled.error.message },
    ];
    return {
      outcome: 'failed',
      runId: failedRun(db, school.id, errors, now(), performance.now() - started),
      errors,
    };
  }
  const parsed = parseXporter(pulled.payload);
  const estab = parsed.ok ? parsed.batch.estab : null;
  const errors: IngestIssue[] = parsed.ok
    ? estab !== null && estab !== school.estab
      ? [
          {
            where: '/SchoolInfo/0/EstabId',
            code: 'wrong-school',
            message: `Xporter answered for establishment ${estab}, not ${school.name} (${school.estab}).`,
          },
        ]
      : []
    : [...parsed.errors];
  if (!parsed.ok || errors.length > 0) {
    const runId = recordRefusal(db, school.id, 'xporter-pull', errors, now(), performance.now() - started);
    return { outcome: 'rejected', runId, errors };
  }
  return ingestBatch(db, school, parsed.batch, 'xporter-pull', now());
}

/** A school's pull as the admin sees it: never the secret. Null when not connected. */
export function connectionSummary(
  db: Db,
  schoolId: number,
): {
  readonly xodEstab: string;
  readonly relyingParty: string;
  readonly everyHours: number;
  readonly baseUrl: string;
  readonly tokenUrl: string;
  readonly lastPullAt: string | null;
} | null {
  const row = db
    .prepare(
      `SELECT xod_estab AS xodEstab, relying_party AS relyingParty, every_hours AS everyHours,
              base_url AS baseUrl, token_url AS tokenUrl,
              (SELECT max(received_at) FROM ingest_runs WHERE school_id = c.school_id AND source = 'xporter-pull') AS lastPullAt
       FROM xod_connections c WHERE school_id = ?`,
    )
    .get(schoolId) as
    | {
        xodEstab: string;
        relyingParty: string;
        everyHours: number;
        baseUrl: string;
        tokenUrl: string;
        lastPullAt: string | null;
      }
    | undefined;
  return row ?? null;
}
