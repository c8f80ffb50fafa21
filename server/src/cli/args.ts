import { isIsoDate, type IsoDate } from '@schoolping/shared';

export class UsageError extends Error {}

export function flag(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${name} needs a value.`);
  return value;
}

export function requiredFlag(args: readonly string[], name: string): string {
  const value = flag(args, name);
  if (value === undefined) throw new UsageError(`${name} is required.`);
  return value;
}

export function dateFlag(args: readonly string[], name: string): IsoDate | undefined {
  const value = flag(args, name);
  if (value === undefined || isIsoDate(value)) return value;
  // Say which is wrong: the way it is written, or the date itself.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new UsageError(`${name} ${value} is not a date that exists.`);
  throw new UsageError(`${name} must be a date written YYYY-MM-DD, like 2027-07-23; got "${value}".`);
}

export function idFlag(args: readonly string[], name: string): number | undefined {
  const value = flag(args, name);
  if (value === undefined) return undefined;
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(`${name} must be a number, got "${value}".`);
  return id;
}

export interface Command {
  readonly usage: string;
  readonly summary: string;
  run(args: readonly string[]): number | Promise<number>;
}
