import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { IsoDate } from '@schoolping/shared';
import { parseCsv } from '../src/ingest/oneroster/csv.ts';
import { writeCsv } from './csv-writer.ts';

/** The three sample sets, copied byte for byte from moodle-enrol_oneroster (see fixtures/SOURCES.md). */
export const SAMPLES = {
  v11Bulk: 'v1p1-bulk_moodle-Test_full_data_set',
  v12Broken: 'v1p2-bulk-WITH-ERRORS_moodle-v1p2_full_dataset',
  v12Delta: 'v1p2-delta_moodle-oneroster_test_data',
} as const;

export const TODAY = '2026-03-02' as IsoDate;

const FIXTURES = fileURLToPath(new URL('./fixtures/oneroster/', import.meta.url));

export function loadSample(folder: string): Map<string, string> {
  const dir = `${FIXTURES}${folder}/`;
  return new Map(
    readdirSync(dir)
      .filter((name) => name.endsWith('.csv'))
      .map((name) => [name, readFileSync(`${dir}${name}`, 'utf8')]),
  );
}

export function table(text: string): string[][] {
  const parsed = parseCsv(text, 'test.csv');
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.rows.map((row) => [...row]);
}

/** A copy of the bundle with one file's table edited (header row included). */
export function editFile(
  files: ReadonlyMap<string, string>,
  name: string,
  edit: (rows: string[][]) => string[][],
): Map<string, string> {
  const text = files.get(name);
  if (text === undefined) throw new Error(`No ${name} in the bundle`);
  return new Map([...files, [name, writeCsv(edit(table(text)))]]);
}

/** Sets one cell, found by header name, on the data row whose sourcedId (column 1) is `id`. */
export function setCell(rows: string[][], id: string, column: string, value: string): string[][] {
  const at = rows[0]?.indexOf(column) ?? -1;
  if (at === -1) throw new Error(`No column ${column}`);
  return rows.map((row) => (row[0] === id ? row.map((cell, index) => (index === at ? value : cell)) : row));
}

/** Appends a data row given as column → value; other columns are left blank. */
export function addRow(rows: string[][], values: Readonly<Record<string, string>>): string[][] {
  const header = rows[0] ?? [];
  return [...rows, header.map((column) => values[column] ?? '')];
}

/** The same bundle with every file the manifest lists as `from` listed as `to` instead. */
export function relabel(files: ReadonlyMap<string, string>, from: string, to: string): Map<string, string> {
  return editFile(files, 'manifest.csv', (rows) =>
    rows.map((row) => row.map((cell) => (cell === from ? to : cell))),
  );
}
