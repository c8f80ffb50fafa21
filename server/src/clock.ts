/** Server time comes from here, so tests and support staff can run the server "as of" a date. */
export type Clock = () => Date;

/**
 * SCHOOLPING_CLOCK=2027-07-24T09:00:00+01:00 runs the server (and the command line) as of that
 * instant: an offset from real time, fixed at start, so time still passes. Anyone can try the
 * year-end flows on the demo in December. Unset, it is the real clock.
 */
export function clockFromEnv(
  env: NodeJS.ProcessEnv,
  realNow: number = Date.now(),
): {
  readonly clock: Clock;
  /** Set when the clock is shifted: the sentence to print at start. */
  readonly notice: string | null;
} {
  const text = env.SCHOOLPING_CLOCK;
  if (text === undefined || text === '') return { clock: () => new Date(), notice: null };
  const target = Date.parse(text);
  if (Number.isNaN(target) || !/^\d{4}-\d{2}-\d{2}T/.test(text))
    throw new RangeError(
      `SCHOOLPING_CLOCK must be an instant like 2027-07-24T09:00:00+01:00, got "${text}".`,
    );
  const offset = target - realNow;
  const days = Math.round(offset / 86_400_000);
  return {
    clock: () => new Date(Date.now() + offset),
    notice:
      `*** The clock is set by SCHOOLPING_CLOCK: it reads ${new Date(target).toISOString()} now ` +
      `(${Math.abs(days)} days ${days >= 0 ? 'ahead of' : 'behind'} real time) and runs on from there. ` +
      'Do not use this with a real school. ***',
  };
}

/** Real time, whatever SCHOOLPING_CLOCK says: for things that must agree with the outside world. */
export const realClock: Clock = () => new Date();

const fromEnv = clockFromEnv(process.env);

/** The server's clock: real time, or shifted by SCHOOLPING_CLOCK. */
export const systemClock: Clock = fromEnv.clock;

/** Printed at start when the clock is shifted. */
export const clockNotice: string | null = fromEnv.notice;
