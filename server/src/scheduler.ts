import { addDays, DAILY_RUN_HOUR, londonDate, londonInstant } from '@schoolping/shared';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import { listSchools, schoolById } from './db/school-store.ts';
import { runDaily } from './ingest/core/daily.ts';
import { feedWorker } from './ingest/intake/worker/feed-pool.ts';
import { listConnections } from './ingest/xod/pull.ts';

/** The next 02:00 Europe/London after `now`. */
export function nextDailyRun(now: Date): Date {
  const today = londonInstant(londonDate(now), DAILY_RUN_HOUR);
  return today > now ? today : londonInstant(addDays(londonDate(now), 1), DAILY_RUN_HOUR);
}

/** One school's failure must not stop the others' nightly run. */
export function runDailyForAll(db: Db, now: Date, log: (line: string) => void = () => undefined): void {
  for (const school of listSchools(db)) {
    try {
      db.transaction(() => runDaily(db, school.id, now)).immediate();
    } catch (error) {
      log(`Daily job failed for ${school.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Run the daily job now (to catch up after downtime) and then at every 02:00 London time. */
export function startDailySchedule(db: Db, clock: Clock, log: (line: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    try {
      runDailyForAll(db, clock(), log);
    } catch (error) {
      log(`Daily job failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const now = clock();
    timer = setTimeout(tick, Math.max(1_000, nextDailyRun(now).getTime() - now.getTime()));
    timer.unref();
  };
  tick();
  return () => {
    clearTimeout(timer);
  };
}

const PULL_CHECK_MS = 10 * 60 * 1000;

/** Pull from Xporter on Demand for each connected school when its interval has passed. */
export function startPullSchedule(db: Db, clock: Clock, log: (line: string) => void): () => void {
  let isRunning = false;
  const check = async (): Promise<void> => {
    if (isRunning) return;
    isRunning = true;
    try {
      for (const connection of listConnections(db)) {
        const school = schoolById(db, connection.schoolId);
        const last = db
          .prepare(
            "SELECT max(received_at) AS at FROM ingest_runs WHERE school_id = ? AND source = 'xporter-pull'",
          )
          .get(connection.schoolId) as { at: string | null };
        const isDue =
          last.at === null || clock().getTime() - Date.parse(last.at) >= connection.everyHours * 3_600_000;
        if (!school || !isDue) continue;
        // Pulled, parsed and applied on the ingest worker: the request thread only waits for the answer.
        const reply = await feedWorker.run(db, { kind: 'xod-pull', schoolId: school.id }, clock());
        log(`Xporter pull for ${school.name}: ${String(reply.body.outcome ?? reply.body.error)}`);
      }
    } catch (error) {
      log(`Xporter pull failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      isRunning = false;
    }
  };
  void check();
  const timer = setInterval(() => void check(), PULL_CHECK_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
