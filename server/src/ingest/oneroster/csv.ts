import type { IngestIssue } from '../core/types.ts';

/*
 * RFC 4180 CSV, as OneRoster exporters write it: comma-separated, fields optionally in double
 * quotes, a quote inside a quoted field doubled, CRLF or LF line ends, and no terminator required
 * after the last line. Rows are numbered as a spreadsheet shows them (header = row 1), so a quoted
 * field spanning lines is still one row.
 */

export interface CsvLimits {
  /** Largest file accepted, in UTF-16 code units (about bytes for the ASCII OneRoster files). */
  readonly maxChars: number;
  readonly maxFieldsPerRow: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxChars: 50_000_000, maxFieldsPerRow: 1000 };

export type CsvResult =
  | { readonly ok: true; readonly rows: readonly (readonly string[])[] }
  | { readonly ok: false; readonly error: IngestIssue };

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

export function parseCsv(text: string, file: string, limits: CsvLimits = DEFAULT_CSV_LIMITS): CsvResult {
  if (text.length > limits.maxChars) {
    return fail(file, 'file-too-large', `${file} is larger than the ${limits.maxChars}-character limit.`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let fields: string[] = [];
  let position = 0;
  const length = body.length;
  // An empty file has no rows at all, not one empty row.
  if (length === 0) return { ok: true, rows };

  for (;;) {
    const rowNumber = rows.length + 1;
    const column = fields.length + 1;
    let value: string;
    if (body.charCodeAt(position) === QUOTE) {
      const quoted = readQuoted(body, position + 1);
      if (quoted === null) {
        return fail(
          `${file}:${rowNumber}:${column}`,
          'csv-unterminated-quote',
          `Row ${rowNumber}, column ${column} of ${file} opens a quoted value that is never closed.`,
        );
      }
      value = quoted.value;
      position = quoted.end;
      const next = body.charCodeAt(position);
      if (position < length && next !== COMMA && next !== CR && next !== LF) {
        return fail(
          `${file}:${rowNumber}:${column}`,
          'csv-text-after-quote',
          `Row ${rowNumber}, column ${column} of ${file} has text after the closing quote; quote the whole value.`,
        );
      }
    } else {
      // Unquoted: up to the next comma or line end. A stray quote inside is kept as a character.
      let end = position;
      while (end < length) {
        const code = body.charCodeAt(end);
        if (code === COMMA || code === CR || code === LF) break;
        end++;
      }
      value = body.slice(position, end);
      position = end;
    }
    fields.push(value);
    if (fields.length > limits.maxFieldsPerRow) {
      return fail(
        `${file}:${rowNumber}:${fields.length}`,
        'csv-too-many-fields',
        `Row ${rowNumber} of ${file} has more than ${limits.maxFieldsPerRow} values.`,
      );
    }
    if (position >= length) {
      rows.push(fields);
      return { ok: true, rows };
    }
    const code = body.charCodeAt(position);
    if (code === COMMA) {
      position++;
      continue;
    }
    // A line end: CRLF, LF, or a lone CR (old Mac exports).
    position += code === CR && body.charCodeAt(position + 1) === LF ? 2 : 1;
    rows.push(fields);
    fields = [];
    if (position >= length) return { ok: true, rows };
  }
}

/** Reads a quoted value whose opening quote is just before `start`; null if it never closes. */
function readQuoted(body: string, start: number): { value: string; end: number } | null {
  let value = '';
  let from = start;
  for (;;) {
    const quote = body.indexOf('"', from);
    if (quote === -1) return null;
    value += body.slice(from, quote);
    if (body.charCodeAt(quote + 1) === QUOTE) {
      value += '"';
      from = quote + 2;
      continue;
    }
    return { value, end: quote + 1 };
  }
}

function fail(where: string, code: string, message: string): CsvResult {
  return { ok: false, error: { where, code, message } };
}

/** Writes a table as RFC 4180 CSV, quoting only where needed; used by the tests and fixtures. */
export function writeCsv(rows: readonly (readonly string[])[], lineEnd = '\r\n'): string {
  // A row of one empty value is written `""` so that it does not read back as a blank line end.
  return rows
    .map((row) => (row.length === 1 && row[0] === '' ? '""' : row.map(quoteIfNeeded).join(',')))
    .join(lineEnd);
}

function quoteIfNeeded(value: string): string {
  return /^\uFEFF|[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
