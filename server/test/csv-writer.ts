/** Writes a table as RFC 4180 CSV, quoting only where needed, for tests that build feeds. */
export function writeCsv(rows: readonly (readonly string[])[], lineEnd = '\r\n'): string {
  // A row of one empty value is written `""` so that it does not read back as a blank line end.
  return rows
    .map((row) => (row.length === 1 && row[0] === '' ? '""' : row.map(quoteIfNeeded).join(',')))
    .join(lineEnd);
}

function quoteIfNeeded(value: string): string {
  return /^\uFEFF|[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
