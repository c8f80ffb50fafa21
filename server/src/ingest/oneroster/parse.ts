import type { IsoDate } from '@schoolping/shared';
import type { ParseResult, RosterBatch } from '../core/types.ts';
import { COMPLETE } from '../core/types.ts';
import type { Context } from './context.ts';
import { CLASS_COLUMNS, ENROLLMENT_COLUMNS, readClasses, readEnrollments } from './groups.ts';
import { Issues } from './issues.ts';
import { readLinks } from './links.ts';
import { readManifest, type Manifest } from './manifest.ts';
import { DEMOGRAPHIC_COLUMNS, readBirthDates, readPeople, USER_COLUMNS } from './people.ts';
import { ROLE_COLUMNS, userKinds } from './roles.ts';
import { ORG_COLUMNS, readSchool, schoolYearStart, SESSION_COLUMNS } from './school.ts';
import { openTable, type Table } from './table.ts';
import { scopeToSchool } from './trust.ts';
import { readYearGroups } from './years.ts';

export interface OneRosterOptions {
  /** The school day of the import: the start date of last resort, and the leaving date of a disabled pupil. */
  readonly today: IsoDate;
  /** The school's DfE number: in a trust export listing several schools, the one to read. */
  readonly estab?: string | null;
  /**
   * The school's first import is the baseline: pupils with no start date in it are on roll at once.
   * After it, a pupil first seen today (with no date) appears the day after, as the seed says.
   */
  readonly firstImport?: boolean;
}

/**
 * Check and translate one OneRoster 1.1 or 1.2 CSV bundle (file name → text, as from
 * readOneRosterBundle). Nothing is half-read: any error and the answer is only the errors.
 */
export function parseOneRoster(files: ReadonlyMap<string, string>, options: OneRosterOptions): ParseResult {
  const issues = new Issues();
  const manifest = readManifest(files, issues);
  if (manifest === null) return { ok: false, errors: issues.errorReport() };
  // Other manifest errors do not stop the files being checked: the admin sees every error at once.
  const ctx: Context = {
    issues,
    version: manifest.version,
    mode: manifest.mode,
    today: options.today,
    firstImport: options.firstImport ?? false,
  };
  const batch = translate(ctx, manifest, options.estab ?? null);
  if (batch === null || issues.failed) return { ok: false, errors: issues.errorReport() };
  return { ok: true, batch: { ...batch, warnings: issues.warningReport() } };
}

function translate(
  ctx: Context,
  manifest: Manifest,
  estab: string | null,
): Omit<RosterBatch, 'warnings'> | null {
  const unreadable: string[] = [];
  const open = (name: string, columns: readonly string[]): Table | null => {
    const file = manifest.files.get(name);
    if (file === undefined) return null;
    const table = openTable(ctx, file.name, file.text, columns);
    if (table === null) unreadable.push(file.name);
    return table;
  };
  // A delta may leave users.csv out; an empty table stands in, with no ids to check against.
  const opened = {
    users:
      open('users', ctx.version === '1.1' ? [...USER_COLUMNS, 'role'] : USER_COLUMNS) ??
      emptyTable('users.csv'),
    roles: open('roles', ROLE_COLUMNS),
    classes: open('classes', CLASS_COLUMNS),
    enrollments: open('enrollments', ENROLLMENT_COLUMNS),
    orgs: open('orgs', ORG_COLUMNS),
  };
  const sessions = open('academicSessions', SESSION_COLUMNS);
  const demographics = open('demographics', DEMOGRAPHIC_COLUMNS);
  // A listed file that could not be read at all has been reported; mapping without it would only
  // add errors that follow from that one.
  if (unreadable.length > 0) return null;

  const { users: people, roles, classes, enrollments, orgs } = scopeToSchool(ctx, opened, estab);
  const school = readSchool(ctx, orgs, estab);
  const kinds = userKinds(ctx, people, roles, orgs);
  const classResult = classes ? readClasses(ctx, classes, orgs, sessions) : { groups: [], removed: [] };
  const enrollmentResult = enrollments
    ? readEnrollments(
        ctx,
        { enrollments, classes: classes ?? emptyTable('classes.csv'), users: people, orgs },
        kinds,
        new Set(classResult.removed),
      )
    : { memberships: [], removed: [], firstEnrolled: new Map<string, IsoDate>() };
  const birthDates = readBirthDates(ctx, demographics, people);
  const persons = readPeople(ctx, people, kinds, {
    birthDates,
    firstEnrolled: enrollmentResult.firstEnrolled,
    schoolYearStart: schoolYearStart(ctx, sessions),
  });
  const years = readYearGroups(ctx, people, kinds);
  const links = readLinks(ctx, people, kinds);
  return {
    source: 'oneroster',
    mode: ctx.mode === 'bulk' ? 'full' : 'delta',
    estab: school.estab,
    schoolName: school.name,
    records: {
      pupils: persons.pupils,
      contacts: persons.contacts,
      links,
      groups: [...classResult.groups, ...years.groups],
      memberships: [...enrollmentResult.memberships, ...years.memberships],
      staff: persons.staff,
    },
    // A bulk bundle must carry users, classes and enrollments, so it describes the whole roster.
    complete: COMPLETE,
    // A user deleted from OneRoster is gone in every role; removing a key the server lacks is a no-op.
    removed: {
      pupil: persons.removed,
      contact: persons.removed,
      staff: persons.removed,
      link: [],
      group: classResult.removed,
      membership: [...enrollmentResult.removed, ...years.removedMemberships],
    },
  };
}

/** Stands in for a file a delta left out: no rows, and no ids to check references against. */
function emptyTable(file: string): Table {
  return { file, rows: [], ids: new Set(), omitted: new Set(), has: () => false };
}
