import type { MisGroup } from '@schoolping/shared';
import { recordKey, type FeedMembership } from '../core/types.ts';
import type { Context } from './context.ts';
import type { UserKind } from './roles.ts';
import type { Table } from './table.ts';
import { listValue } from './values.ts';

/**
 * Year groups from users.grades (CEDS codes). UK exporters put the UK year in the field (`09` for
 * Year 9) and `KG` for Reception, so that is how it is read; other codes have no UK year group.
 */
const YEAR_CODES = ['KG', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13'];

export function yearGroupId(code: string): string {
  return `year:${code}`;
}

function yearName(code: string): string {
  return code === 'KG' ? 'Reception' : `Year ${String(Number(code))}`;
}

/** `9` and `09` are the same grade; CEDS writes two digits. */
function normalise(grade: string): string | null {
  const upper = grade.toUpperCase();
  if (upper === 'KG') return 'KG';
  const padded = /^\d{1,2}$/.test(grade) ? grade.padStart(2, '0') : grade;
  return YEAR_CODES.includes(padded) ? padded : null;
}

export interface YearGroups {
  readonly groups: MisGroup[];
  readonly memberships: FeedMembership[];
  readonly removedMemberships: string[];
}

export function readYearGroups(ctx: Context, users: Table, kinds: ReadonlyMap<string, UserKind>): YearGroups {
  const groups = new Map<string, MisGroup>();
  const result: YearGroups = { groups: [], memberships: [], removedMemberships: [] };
  for (const row of users.rows) {
    if (row.deleted || kinds.get(row.id)?.pupil !== true) continue;
    const grades = listValue(row, 'grades');
    const codes = grades.map(normalise);
    const code = codes.find((candidate) => candidate !== null) ?? null;
    if (grades.length > 0 && code === null) {
      ctx.issues.warn(
        row.where('grades'),
        'unmapped-grade',
        `Grade "${grades.join(',')}" of pupil ${row.id} has no UK year group, so they were put in none.`,
        users.file,
      );
    } else if (new Set(grades).size > 1) {
      ctx.issues.warn(
        row.where('grades'),
        'several-grades',
        `Pupil ${row.id} has grades ${grades.join(',')}; the first was used.`,
      );
    }
    if (code !== null) {
      const id = yearGroupId(code);
      if (!groups.has(id)) groups.set(id, { id, name: yearName(code), kind: 'year' });
      result.memberships.push({ groupId: id, pupilId: row.id, startDate: null, endDate: null });
    }
    // A delta row is the pupil's whole record: any other year group they were in is no longer theirs.
    if (ctx.mode === 'delta') {
      for (const other of YEAR_CODES) {
        if (other !== code)
          result.removedMemberships.push(
            recordKey.membership({ groupId: yearGroupId(other), pupilId: row.id }),
          );
      }
    }
  }
  result.groups.push(...groups.values());
  return result;
}
