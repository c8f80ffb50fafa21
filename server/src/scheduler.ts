import { addDays, DAILY_RUN_HOUR, londonDate, londonInstant } from '@schoolping/shared';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import { listSchools } from './db/school-store.ts';
import { runDaily } from './ingest/daily.ts';

/** The next 02:00 Europe/London after `now`. */
export function nextDailyRun(now: Date): Date {
  const today = londonInstant(londonDate(now), DAILY_RUN_HOUR);
  return today > now ? today : londonInstant(addDays(londonDate(now), 1), DAILY_RUN_HOUR);
}

export function runDailyForAll(db: Db, now: Date): void {
  for (const school of listSchools(db)) db.transaction(() => runDaily(db, school.id, now))();
}

/** Run the daily job now (to catch up after downtime) and then at every 02:00 London time. */
export function startDailySchedule(db: Db, clock: Clock, log: (line: string) => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const tick = (): void => {
    try {
      runDailyForAll(db, clock());
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
