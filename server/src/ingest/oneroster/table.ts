import type { Context } from './context.ts';
import { parseCsv } from './csv.ts';
import type { Row, Table } from './row.ts';
import { checkTimestamp, readStatus } from './status.ts';

/** Misspellings seen in real exports, read as the column they mean (with a warning). */
const HEADER_TYPOS: Readonly<Record<string, string>> = {
  dataLastModified: 'dateLastModified',
  prefferedGivenName: 'preferredGivenName',
  prefferedMiddleName: 'preferredMiddleName',
  prefferedFamilyName: 'preferredFamilyName',
};
/** Never read: OneRoster exports carry plaintext passwords, which this server must not hold. */
const DROPPED_COLUMNS = new Set(['password']);

export type { Row, Table } from './row.ts';

/**
 * Reads one OneRoster CSV file by header name, never by position. Checks what every OneRoster file
 * shares: the field count, sourcedId, status and dateLastModified. Null if the file is unusable.
 */
export function openTable(
  ctx: Context,
  file: string,
  text: string,
  required: readonly string[],
): Table | null {
  const { issues } = ctx;
  const csv = parseCsv(text, file);
  if (!csv.ok) {
    issues.error(csv.error.where, csv.error.code, csv.error.message);
    return null;
  }
  const [header, ...body] = csv.rows;
  if (header === undefined) {
    issues.error(file, 'empty-file', `${file} is empty; it needs at least its header row.`);
    return null;
  }
  const index = readHeader(ctx, file, header);
  const needed = ctx.mode === 'delta' ? [...required, 'status', 'dateLastModified'] : required;
  const missing = needed.filter((column) => !index.has(column));
  for (const column of missing) {
    issues.error(file, 'missing-column', `${file} has no "${column}" column, which this import needs.`);
  }
  if (missing.length > 0) return null;

  const rows: Row[] = [];
  const ids = new Set<string>();
  const omitted = new Set<string>();
  const firstRow = new Map<string, number>();
  body.forEach((fields, position) => {
    const rowNumber = position + 2;
    if (fields.length === 1 && fields[0] === '') return; // a blank line
    const cell = (column: string): string => {
      const at = index.get(column);
      return at === undefined ? '' : (fields[at] ?? '').trim();
    };
    const where = (column: string): string => {
      const at = index.get(column);
      return at === undefined ? `${file}:${rowNumber}` : `${file}:${rowNumber}:${at + 1}`;
    };
    const id = cell('sourcedId');
    if (id !== '') ids.add(id);
    if (fields.length !== header.length) {
      const column = Math.min(fields.length, header.length) + 1;
      issues.error(
        `${file}:${rowNumber}:${column}`,
        'field-count',
        `Row ${rowNumber} of ${file} has ${fields.length} values but the header names ${header.length} columns.`,
      );
      return;
    }
    const row: Row = { row: rowNumber, id, deleted: false, value: cell, where };
    if (id === '') {
      issues.error(where('sourcedId'), 'missing-field', `Row ${rowNumber} of ${file} has no sourcedId.`);
      return;
    }
    const first = firstRow.get(id);
    if (first !== undefined) {
      issues.error(
        where('sourcedId'),
        'duplicate-id',
        `sourcedId "${id}" appears twice in ${file} (rows ${first} and ${rowNumber}).`,
      );
      return;
    }
    firstRow.set(id, rowNumber);
    checkTimestamp(ctx, file, row);
    const deleted = readStatus(ctx, file, row);
    if (deleted && ctx.mode === 'bulk') {
      omitted.add(id);
      return;
    }
    if (!deleted) {
      for (const column of required) {
        if (cell(column) === '') {
          issues.error(
            where(column),
            'missing-field',
            `Row ${rowNumber} of ${file} has no ${column}, which is required.`,
          );
        }
      }
    }
    rows.push({ ...row, deleted });
  });
  return { file, rows, ids, omitted, has: (column) => index.has(column) };
}

function readHeader(ctx: Context, file: string, header: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((raw, at) => {
    const where = `${file}:1:${at + 1}`;
    const typo = HEADER_TYPOS[raw.trim()];
    const name = typo ?? raw.trim();
    if (typo !== undefined) {
      ctx.issues.warn(
        where,
        'header-typo',
        `Column ${at + 1} of ${file} is headed "${raw}"; it was read as "${typo}".`,
      );
    }
    if (name === '') {
      ctx.issues.warn(
        where,
        'unnamed-column',
        `Column ${at + 1} of ${file} has no name in the header and was ignored.`,
        file,
      );
      return;
    }
    if (index.has(name)) {
      ctx.issues.error(where, 'duplicate-column', `${file} has two columns named "${name}".`);
      return;
    }
    if (!DROPPED_COLUMNS.has(name)) index.set(name, at);
  });
  return index;
}
