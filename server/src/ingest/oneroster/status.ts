import type { Context } from './context.ts';
import type { Row } from './row.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** dateLastModified is informational here; only a value that is not ISO 8601 at all is an error. */
export function checkTimestamp(ctx: Context, file: string, row: Row): void {
  const value = row.value('dateLastModified');
  const where = row.where('dateLastModified');
  if (value === '' && ctx.mode === 'delta') {
    ctx.issues.error(
      where,
      'missing-field',
      `Row ${row.row} of ${file} has no dateLastModified, which a delta row needs.`,
    );
  }
  if (value === '' || ISO_DATE_TIME.test(value)) return;
  if (ISO_DATE.test(value)) {
    ctx.issues.warn(
      where,
      'date-only-timestamp',
      `dateLastModified "${value}" in ${file} has no time of day.`,
      file,
    );
  } else {
    ctx.issues.error(
      where,
      'bad-timestamp',
      `dateLastModified "${value}" on row ${row.row} of ${file} is not an ISO 8601 date-time such as 2023-05-01T18:25:43Z.`,
    );
  }
}

/** True when the row says `tobedeleted`. Status decides upsert or delete only in a delta. */
export function readStatus(ctx: Context, file: string, row: Row): boolean {
  const raw = row.value('status');
  const status = raw.toLowerCase();
  const where = row.where('status');
  if (ctx.mode === 'bulk') {
    if (status === 'tobedeleted') {
      ctx.issues.warn(
        where,
        'deleted-in-bulk',
        `Row ${row.row} of ${file} (${row.id}) is marked tobedeleted in a bulk file; it was left out.`,
        file,
      );
      return true;
    }
    if (raw !== '' && raw !== 'active') {
      ctx.issues.warn(
        where,
        'bad-status',
        `Status "${raw}" in ${file} is not active or tobedeleted; the row was kept.`,
        file,
      );
    }
    return false;
  }
  if (status !== 'active' && status !== 'tobedeleted') {
    const found = raw === '' ? 'no status' : `status "${raw}"`;
    ctx.issues.error(
      where,
      'bad-status',
      `Row ${row.row} of ${file} has ${found}; a delta row must be active or tobedeleted.`,
    );
    return false;
  }
  if (raw !== status)
    ctx.issues.warn(where, 'enum-case', `Status "${raw}" in ${file} should be written "${status}".`, file);
  return status === 'tobedeleted';
}
