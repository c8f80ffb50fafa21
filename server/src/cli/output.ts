/*
 * What the command line prints: tables and sentences for people, and only JSON when a script asks
 * with --json. Nothing else reaches stdout, so `schoolping status --json | jq` works.
 */

export const JSON_FLAG = '--json';

export function wantsJson(args: readonly string[]): boolean {
  return args.includes(JSON_FLAG);
}

/** A plain text table: a header, a rule, and the rows, each column as wide as its widest cell. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Prints `value` as JSON for --json, else what `forPeople` makes of it. */
export function print<T>(args: readonly string[], value: T, forPeople: (value: T) => string): void {
  console.log(wantsJson(args) ? JSON.stringify(value, null, 2) : forPeople(value));
}
