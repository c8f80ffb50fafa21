/** A OneRoster CSV file as read: its rows by header name, and the ids it holds. */

export interface Row {
  /** Spreadsheet row number: the header is row 1. */
  readonly row: number;
  readonly id: string;
  readonly deleted: boolean;
  /** The trimmed value, or '' when the column is absent. */
  value(column: string): string;
  /** `file:row:column` for a cell; `file:row` when the column is absent. */
  where(column: string): string;
}

export interface Table {
  readonly file: string;
  /** Rows that read cleanly; in a bulk file, `tobedeleted` rows are left out (see `omitted`). */
  readonly rows: readonly Row[];
  /** Every sourcedId in the file, even on rows with errors, so one error does not cascade. */
  readonly ids: ReadonlySet<string>;
  /** Ids of bulk rows marked `tobedeleted`: not in the result, so they count as gone. */
  readonly omitted: ReadonlySet<string>;
  has(column: string): boolean;
}
