/**
 * Money is integer pence from the wire to the database. Pounds exist only where people read them.
 */

/** A whole number of pence; negative for money leaving a wallet. */
export type Pence = number & { readonly __brand: 'Pence' };

export const ZERO_PENCE = 0 as Pence;

export function isPence(value: unknown): value is Pence {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

export function pence(value: number): Pence {
  if (!isPence(value)) throw new RangeError(`Money must be a whole number of pence, got ${value}`);
  return value;
}

export function addPence(a: Pence, b: Pence): Pence {
  return pence(a + b);
}

export function negatePence(a: Pence): Pence {
  return pence(a === 0 ? 0 : -(a as number));
}

export function sumPence(values: Iterable<Pence>): Pence {
  let total = 0;
  for (const value of values) total += value;
  return pence(total);
}

/** `£1,234.56`, `-£3.05`. */
/** The largest single top-up or charge, in pence (£1,000): more is a typing slip, not a payment. */
export const MAX_WALLET_ENTRY_PENCE: Pence = pence(100_000);

export function formatPence(amount: Pence): string {
  const sign = amount < 0 ? '-' : '';
  const absolute = Math.abs(amount);
  const pounds = Math.floor(absolute / 100).toLocaleString('en-GB');
  const rest = String(absolute % 100).padStart(2, '0');
  return `${sign}£${pounds}.${rest}`;
}

/**
 * An amount a person typed in pounds ("12.50", "£3", "1,000.05") as whole pence, or null when it
 * is not one: never a float on the way, so 0.1 + 0.2 cannot creep into a ledger.
 */
export function parsePounds(text: string): Pence | null {
  const match = /^£?\s*(\d{1,3}(?:,\d{3})*|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const pounds = (match[1] ?? '').replaceAll(',', '');
  const rest = (match[2] ?? '').padEnd(2, '0');
  const amount = Number(pounds) * 100 + Number(rest);
  return Number.isSafeInteger(amount) ? pence(amount) : null;
}
