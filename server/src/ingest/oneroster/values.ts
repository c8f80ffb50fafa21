import { isIsoDate, type IsoDate } from '@schoolping/shared';
import type { Context } from './context.ts';
import type { Row, Table } from './table.ts';

/** A OneRoster list inside one field: `"09,10,11"`, with spaces around items dropped. */
export function listValue(row: Row, column: string): string[] {
  return row
    .value(column)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A `YYYY-MM-DD` date, or null when blank. A value in any other form is an error. */
export function dateValue(ctx: Context, file: string, row: Row, column: string): IsoDate | null {
  const value = row.value(column);
  if (value === '') return null;
  if (isIsoDate(value)) return value;
  ctx.issues.error(
    row.where(column),
    'bad-date',
    `${column} "${value}" on row ${row.row} of ${file} is not a date in the form YYYY-MM-DD.`,
  );
  return null;
}

/** `true`/`false`; other casings (the samples' `TRUE`) are read with a warning. Null when blank or bad. */
export function booleanValue(ctx: Context, file: string, row: Row, column: string): boolean | null {
  const raw = row.value(column);
  if (raw === '') return null;
  const lower = raw.toLowerCase();
  if (lower !== 'true' && lower !== 'false') {
    ctx.issues.error(
      row.where(column),
      'bad-boolean',
      `${column} on row ${row.row} of ${file} is "${raw}"; it must be true or false.`,
    );
    return null;
  }
  if (raw !== lower) {
    ctx.issues.warn(
      row.where(column),
      'boolean-case',
      `${column} in ${file} is "${raw}"; OneRoster requires lower-case "${lower}". It was read as ${lower}.`,
      `${file}/${column}`,
    );
  }
  return lower === 'true';
}

export type Extension = `ext:${string}`;

/**
 * A value from a fixed OneRoster list. A different casing is read with a warning; `ext:` values are
 * allowed only in 1.2 (1.1 forbids extending its lists). Anything else is an error. Null when blank
 * or unknown.
 */
export function enumValue<T extends string>(
  ctx: Context,
  file: string,
  row: Row,
  column: string,
  allowed: readonly T[],
): T | Extension | null {
  const raw = row.value(column);
  if (raw === '') return null;
  const exact = allowed.find((value) => value === raw);
  if (exact !== undefined) return exact;
  if (ctx.version === '1.2' && isExtension(raw)) return raw;
  const loose = allowed.find((value) => value.toLowerCase() === raw.toLowerCase());
  if (loose !== undefined) {
    ctx.issues.warn(
      row.where(column),
      'enum-case',
      `${column} "${raw}" in ${file} should be written "${loose}"; it was read as ${loose}.`,
      `${file}/${column}`,
    );
    return loose;
  }
  ctx.issues.error(
    row.where(column),
    'unknown-value',
    `${column} "${raw}" on row ${row.row} of ${file} is not one of: ${allowed.join(', ')}.`,
  );
  return null;
}

function isExtension(value: string): value is Extension {
  return /^ext:[A-Za-z0-9.\-_]+$/.test(value);
}

/**
 * In a bulk file every id a row points at must be in the file it names; a delta may point at rows
 * the server already has. Skipped when the target file is not part of the bundle.
 */
export function checkReference(
  ctx: Context,
  file: string,
  row: Row,
  column: string,
  target: Table | null,
): void {
  if (ctx.mode !== 'bulk' || target === null) return;
  for (const id of listValue(row, column)) {
    if (target.ids.has(id)) continue;
    ctx.issues.error(
      row.where(column),
      'unknown-reference',
      `${column} on row ${row.row} of ${file} names "${id}", which is not in ${target.file}.`,
    );
  }
}
