/**
 * Calendar dates and the school's clock. Schools run on Europe/London wall-clock time, so every
 * rule that says "on the leave date" or "the day after" is decided on London dates, never UTC.
 */

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

export function isoDate(value: string): IsoDate {
  if (!isIsoDate(value)) throw new RangeError(`Not a calendar date (YYYY-MM-DD): ${value}`);
  return value;
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10) as IsoDate;
}

/** The hour at which the daily MIS job runs, London time: the seed's "early hours". */
export const DAILY_RUN_HOUR = 2;

export interface LondonWallClock {
  readonly date: IsoDate;
  readonly hour: number;
  readonly minute: number;
}

const londonFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export function londonWallClock(at: Date): LondonWallClock {
  const parts: Record<string, string> = {};
  for (const part of londonFormat.formatToParts(at)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}` as IsoDate,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** The London calendar date of an instant. */
export function londonDate(at: Date): IsoDate {
  return londonWallClock(at).date;
}

/**
 * The school day whose 02:00 run is the latest one at `at`. Before 02:00 London time the previous
 * day's view still holds; from 02:00 the new day's changes apply. Comparing wall-clock time makes
 * this right on both clock-change nights: 02:00 exists once on each of them.
 */
export function effectiveDay(at: Date): IsoDate {
  const wall = londonWallClock(at);
  return wall.hour < DAILY_RUN_HOUR ? addDays(wall.date, -1) : wall.date;
}

/** The instant at which London wall-clock time reads `date hour:00` (for hours that exist). */
export function londonInstant(date: IsoDate, hour: number): Date {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const asIfUtc = Date.UTC(year, month - 1, day, hour);
  // London is UTC or UTC+1; try both offsets and keep the one that reads back correctly.
  for (const offsetHours of [0, 1]) {
    const candidate = new Date(asIfUtc - offsetHours * 3_600_000);
    const wall = londonWallClock(candidate);
    if (wall.date === date && wall.hour === hour && wall.minute === 0) return candidate;
  }
  throw new RangeError(`${date} ${hour}:00 does not exist in Europe/London`);
}

const humanDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

/** `24 Jul 2026`: how people read a date in messages and verdicts. */
export function formatDate(date: IsoDate): string {
  return humanDate.format(new Date(`${date}T00:00:00Z`));
}
