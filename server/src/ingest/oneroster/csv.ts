import { Buffer } from 'node:buffer';
import { CsvError, parse, type InfoField } from 'csv-parse/sync';
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

/** Raised from inside the parse when a rule of ours (not csv-parse's) refuses a value. */
class RefusedValue extends Error {
  constructor(
    readonly row: number,
    readonly column: number,
    readonly code: string,
  ) {
    super(code);
  }
}

export function parseCsv(text: string, file: string, limits: CsvLimits = DEFAULT_CSV_LIMITS): CsvResult {
  if (text.length > limits.maxChars) {
    return fail(file, 'file-too-large', `${file} is larger than the ${limits.maxChars}-character limit.`);
  }
  const bytes = Buffer.from(text, 'utf8');
  try {
    const rows = parse(bytes, {
      bom: true,
      // Relaxed so that a stray quote in an unquoted value is kept; checkValue refuses the other
      // case relaxing lets through (text after a closing quote).
      relax_quotes: true,
      // Column counts are checked against the header by the caller, which names the row.
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n', '\r'],
      cast: (value, context) => checkValue(value, context, bytes, limits),
    });
    return { ok: true, rows };
  } catch (error) {
    return { ok: false, error: describe(error, file, limits) };
  }
}

/**
 * At cast time csv-parse's `bytes` is the offset just past the value's raw text. A quoted value
 * read strictly is exactly `"` + the value with quotes doubled + `"`; anything else means the
 * relaxed reading kept text after a closing quote.
 */
function checkValue(value: string, context: InfoField, bytes: Buffer, limits: CsvLimits): string {
  const row = context.records + 1;
  const column = context.index + 1;
  if (column > limits.maxFieldsPerRow) throw new RefusedValue(row, column, 'csv-too-many-fields');
  if (context.quoting) {
    const strict = Buffer.from(`"${value.replaceAll('"', '""')}"`, 'utf8');
    const end = context.bytes;
    if (end < strict.length || !strict.equals(bytes.subarray(end - strict.length, end))) {
      throw new RefusedValue(row, column, 'csv-text-after-quote');
    }
  }
  return value;
}

function describe(error: unknown, file: string, limits: CsvLimits): IngestIssue {
  if (error instanceof RefusedValue) {
    const where = `${file}:${error.row}:${error.column}`;
    if (error.code === 'csv-too-many-fields') {
      return {
        where,
        code: error.code,
        message: `Row ${error.row} of ${file} has more than ${limits.maxFieldsPerRow} values.`,
      };
    }
    return {
      where,
      code: error.code,
      message: `Row ${error.row}, column ${error.column} of ${file} has text after the closing quote; quote the whole value.`,
    };
  }
  if (error instanceof CsvError) {
    const row = numberOr(error['records'], 0) + 1;
    const column = numberOr(error['column'], 0) + 1;
    const where = `${file}:${row}:${column}`;
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

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function fail(where: string, code: string, message: string): CsvResult {
  return { ok: false, error: { where, code, message } };
}
