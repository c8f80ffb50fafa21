import { demoSchool, type MisData, type Role } from '@schoolping/shared';
import { makeUser, sessionCookie } from './test-accounts.ts';
import type { Hono } from 'hono';
import type { AppEnv } from '../src/http/env.ts';
import { createApp } from '../src/app.ts';
import type { Db } from '../src/db/database.ts';
import { createSchool, type SchoolRow } from '../src/db/school-store.ts';
import { tempDatabase } from './temp-database.ts';
import { rotateIngestKey } from '../src/ingest/core/keys.ts';
import { toXporterPayload } from '../src/ingest/xporter/demo-feed.ts';

/** A real SQLite file with one empty school, its ingest key, and the app over it. */
export interface IngestFixture {
  readonly db: Db;
  readonly app: Hono<AppEnv>;
  readonly school: SchoolRow;
  readonly key: string;
  /** Server time; tests move it. */
  now: Date;
  post(path: string, body: string, contentType?: string, key?: string): Promise<Response>;
  pushXporter(payload: unknown): Promise<Response>;
  /** Headers of a signed-in member of this school with these roles. */
  as(roles: readonly Role[]): Record<string, string>;
  cleanup(): void;
}

export function ingestFixture(now = new Date('2026-11-10T10:00:00Z'), estab = '8012000'): IngestFixture {
  const temp = tempDatabase();
  const school = createSchool(temp.db, { name: 'Brookfield Primary School', estab }, now);
  const key = rotateIngestKey(temp.db, school.id, now);
  const fixture: IngestFixture = {
    db: temp.db,
    school,
    key,
    now,
    app: createApp({ db: temp.db, clock: () => fixture.now }),
    post: (path, body, contentType = 'application/json', withKey = key) =>
      Promise.resolve(
        fixture.app.request(path, {
          method: 'POST',
          body,
          headers: { 'content-type': contentType, authorization: `Bearer ${withKey}` },
        }),
      ),
    pushXporter: (payload) => fixture.post('/api/mis/xporter', JSON.stringify(payload)),
    as: (roles) => ({
      cookie: sessionCookie(temp.db, makeUser(temp.db, school.id, 'staff', roles), fixture.now),
    }),
    cleanup: temp.cleanup,
  };
  return fixture;
}

/** The demo primary as an XoD full snapshot. */
export function demoFeed(): { mis: MisData; payload: Record<string, unknown[]> } {
  const { mis } = demoSchool();
  return { mis, payload: toXporterPayload(mis) };
}
/** Push an XoD payload and read the JSON answer. */
export async function push(
  f: IngestFixture,
  payload: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await f.pushXporter(payload);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
