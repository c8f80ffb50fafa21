import type { IsoDate } from '@schoolping/shared';
import type { Context } from './context.ts';
import type { Table } from './table.ts';
import { chosenSchoolOrg } from './trust.ts';
import { dateValue, enumValue } from './values.ts';

export const ORG_COLUMNS = ['sourcedId', 'name', 'type'];
export const SESSION_COLUMNS = ['sourcedId', 'type', 'startDate', 'endDate'];
const ORG_TYPES = ['department', 'school', 'district', 'local', 'state', 'national'] as const;
const SESSION_TYPES = ['gradingPeriod', 'semester', 'schoolYear', 'term'] as const;

export interface School {
  readonly name: string | null;
  /** The DfE number, when the school org's identifier is one (seven digits). */
  readonly estab: string | null;
}

/**
 * The school the bundle is for: the one org of type `school`, or, in a trust export listing
 * several, the one whose identifier is this school's DfE number (`estab`).
 */
export function readSchool(ctx: Context, orgs: Table | null, ourEstab: string | null = null): School {
  if (orgs === null) return { name: null, estab: null };
  const schools = orgs.rows.filter(
    (row) => !row.deleted && enumValue(ctx, orgs.file, row, 'type', ORG_TYPES) === 'school',
  );
  const chosen = schools.length > 1 ? chosenSchoolOrg(orgs, ourEstab) : null;
  const [first, second] = schools;
  if (second !== undefined && chosen === null) {
    ctx.issues.error(
      second.where('type'),
      'several-schools',
      `${orgs.file} lists more than one school (${schools.map((row) => row.value('name')).join(', ')}) and none has this school's DfE number${ourEstab ? ` (${ourEstab})` : ''} as its identifier; export this school's bundle, or set its identifier.`,
    );
  }
  const school = chosen ?? first;
  if (school === undefined) {
    if (ctx.mode === 'bulk') {
      ctx.issues.warn(
        orgs.file,
        'no-school-org',
        `${orgs.file} has no org of type school, so the school's name is not known.`,
      );
    }
    return { name: null, estab: null };
  }
  const identifier = school.value('identifier');
  const estab = /^\d{7}$/.test(identifier) ? identifier : null;
  if (estab === null && identifier !== '') {
    ctx.issues.warn(
      school.where('identifier'),
      'identifier-not-estab',
      `The school's identifier "${identifier}" is not a seven-digit DfE number, so it was not used as one.`,
    );
  }
  return { name: school.value('name'), estab };
}

/** Start of the school year that `today` falls in, from an academic session of type schoolYear. */
export function schoolYearStart(ctx: Context, sessions: Table | null): IsoDate | null {
  if (sessions === null) return null;
  let start: IsoDate | null = null;
  for (const row of sessions.rows) {
    if (row.deleted) continue;
    const type = enumValue(ctx, sessions.file, row, 'type', SESSION_TYPES);
    const from = dateValue(ctx, sessions.file, row, 'startDate');
    const to = dateValue(ctx, sessions.file, row, 'endDate');
    if (from === null || to === null) continue;
    if (to < from) {
      ctx.issues.error(
        row.where('endDate'),
        'end-before-start',
        `Session ${row.id} in ${sessions.file} ends before it starts.`,
      );
      continue;
    }
    // The samples disagree on what schoolYear means (start or end year), so the dates decide.
    if (type === 'schoolYear' && from <= ctx.today && ctx.today <= to && (start === null || from > start))
      start = from;
  }
  return start;
}
