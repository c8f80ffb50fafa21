import { Hono } from 'hono';
import type { Db } from '../db/database.ts';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';

/** The whole-file check: reads every page, so it is for admins and the command line, not for anyone. */
export function deepHealth(db: Db): { status: 'ok' | 'degraded'; database: string; schemaVersion: number } {
  const integrity = String(db.pragma('quick_check', { simple: true }));
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;
  return { status: integrity === 'ok' ? 'ok' : 'degraded', database: integrity, schemaVersion };
}

/** The deep check reads the whole file: run at most once a minute, whoever asks how often. */
const DEEP_CHECK_EVERY_MS = 60_000;

export function healthRoutes(context: AppContext) {
  const { db, telemetry, clock } = context;
  let lastDeep: { at: number; report: ReturnType<typeof deepHealth> } | null = null;
  return (
    new Hono<AppEnv>()
      // Public and cheap: one prepared read of the header, which proves the file opens and answers.
      .get('/', (c) => {
        const schemaVersion = db.pragma('user_version', { simple: true }) as number;
        return c.json({ status: 'ok', schemaVersion });
      })
      .get('/deep', guard(context, 'GET /api/health/deep'), async (c) => {
        const now = clock().getTime();
        if (lastDeep === null || now - lastDeep.at >= DEEP_CHECK_EVERY_MS)
          lastDeep = { at: now, report: deepHealth(db) };
        const { report, at } = lastDeep;
        return c.json(
          {
            ...report,
            checkedAt: new Date(at).toISOString(),
            counters: {
              'anonymous-refusals': (await telemetry.anonymousRefusals.get()).values[0]?.value ?? 0,
            },
          },
          report.status === 'ok' ? 200 : 503,
        );
      })
  );
}
