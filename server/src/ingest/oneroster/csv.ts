import { Buffer } from 'node:buffer';
import { CsvError, parse, type InfoField, type Options } from 'csv-parse/sync';
import type { IngestIssue } from '../core/types.ts';

/*
 * RFC 4180 CSV, as OneRoster exporters write it, read with csv-parse: comma-separated, fields
 * optionally in double quotes, a quote inside a quoted field doubled, CRLF, LF or a lone CR as the
 * line end (mixed within one file, as hand-edited exports are), and no terminator required after
 * the last line. Rows are numbered as a spreadsheet shows them (header = row 1), so a quoted field
 * spanning lines is still one row.
 *
 * Two habits of real exports differ from the strict standard and are kept on purpose: a stray
 * quote inside an unquoted value (5'10") is a character, not an error; but text after a closing
 * quote ("b"c) is refused, because it usually means a value was cut and pasted wrongly.
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

/** Raised from inside the relaxed parse when a quoted value has text after its closing quote. */
class RefusedValue extends Error {
  constructor(
    readonly row: number,
    readonly column: number,
  ) {
    super('text after a closing quote');
  }
}

export function parseCsv(text: string, file: string, limits: CsvLimits = DEFAULT_CSV_LIMITS): CsvResult {
  if (text.length > limits.maxChars) {
    return fail(file, 'file-too-large', `${file} is larger than the ${limits.maxChars}-character limit.`);
  }
  const bytes = Buffer.from(text, 'utf8');
  let rows: string[][];
  try {
    // Strict first: almost every export parses so, and quickly (a cast hook costs ten times more).
    rows = parse(bytes, { ...COMMON, relax_quotes: false });
  } catch (strictError) {
    if (!(strictError instanceof CsvError) || strictError.code !== 'INVALID_OPENING_QUOTE') {
      return { ok: false, error: describe(strictError, file) };
    }
    // A stray quote inside an unquoted value: read again, relaxed, checking each quoted value.
    try {
      rows = parse(bytes, {
        ...COMMON,
        relax_quotes: true,
        cast: (value, context) => checkValue(value, context, bytes),
      });
    } catch (relaxedError) {
      return { ok: false, error: describe(relaxedError, file) };
    }
  }
  const wide = rows.findIndex((row) => row.length > limits.maxFieldsPerRow);
  if (wide !== -1) {
    const row = wide + 1;
    return fail(
      `${file}:${row}:${limits.maxFieldsPerRow + 1}`,
      'csv-too-many-fields',
      `Row ${row} of ${file} has more than ${limits.maxFieldsPerRow} values.`,
    );
  }
  return { ok: true, rows };
}

const COMMON: Options = {
  bom: true,
  // Column counts are checked against the header by the caller, which names the row.
  relax_column_count: true,
  record_delimiter: ['\r\n', '\n', '\r'],
};

/**
 * At cast time csv-parse's `bytes` is the offset just past the value's raw text. A quoted value
 * read strictly is exactly `"` + the value with quotes doubled + `"`; anything else means the
 * relaxed reading kept text after a closing quote.
 */
function checkValue(value: string, context: InfoField, bytes: Buffer): string {
  const row = context.records + 1;
  const column = context.index + 1;
  if (context.quoting) {
    const strict = Buffer.from(`"${value.replaceAll('"', '""')}"`, 'utf8');
    const end = context.bytes;
    if (end < strict.length || !strict.equals(bytes.subarray(end - strict.length, end))) {
      throw new RefusedValue(row, column);
    }
  }
  return value;
}

function describe(error: unknown, file: string): IngestIssue {
  if (error instanceof RefusedValue) return textAfterQuote(file, error.row, error.column);
  if (error instanceof CsvError) {
    const row = numberOr(error['records'], 0) + 1;
    const column = numberOr(error['column'], 0) + 1;
    const where = `${file}:${row}:${column}`;
    if (error.code === 'CSV_INVALID_CLOSING_QUOTE') return textAfterQuote(file, row, column);
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return {
        where,
        code: 'csv-unterminated-quote',
        message: `Row ${row}, column ${column} of ${file} opens a quoted value that is never closed.`,
      };
    }
    return {
      where,
      code: 'csv-unreadable',
      message: `Row ${row}, column ${column} of ${file}: ${error.message}`,
    };
  }
  throw error;
}

function textAfterQuote(file: string, row: number, column: number): IngestIssue {
  return {
    where: `${file}:${row}:${column}`,
    code: 'csv-text-after-quote',
    message: `Row ${row}, column ${column} of ${file} has text after the closing quote; quote the whole value.`,
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function fail(where: string, code: string, message: string): CsvResult {
  return { ok: false, error: { where, code, message } };
}
