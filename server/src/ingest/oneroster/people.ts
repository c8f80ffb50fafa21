import {
  addDays,
  isValidUpn,
  type IsoDate,
  type MisContact,
  type MisPupil,
  type MisStaff,
} from '@schoolping/shared';
import type { Context } from './context.ts';
import type { UserKind } from './roles.ts';
import type { Row, Table } from './table.ts';
import { booleanValue, checkReference, dateValue, listValue } from './values.ts';

export const USER_COLUMNS = ['sourcedId', 'enabledUser', 'givenName', 'familyName'];
export const DEMOGRAPHIC_COLUMNS = ['sourcedId'];
/** The shape of a UPN, to tell a mistyped one (worth a warning) from a username. */
const UPN_SHAPE = /^[A-Z]\d{11}[0-9A-Z]$/;

export interface People {
  readonly pupils: MisPupil[];
  readonly contacts: MisContact[];
  readonly staff: MisStaff[];
  /** Users a delta marks tobedeleted. */
  readonly removed: string[];
}

export interface PupilDates {
  readonly birthDates: ReadonlyMap<string, IsoDate>;
  /** Earliest enrollment beginDate of each pupil. */
  readonly firstEnrolled: ReadonlyMap<string, IsoDate>;
  readonly schoolYearStart: IsoDate | null;
}

export function readBirthDates(ctx: Context, demographics: Table | null, users: Table): Map<string, IsoDate> {
  const dates = new Map<string, IsoDate>();
  if (demographics === null) return dates;
  for (const row of demographics.rows) {
    if (row.deleted) continue;
    // A demographics row's sourcedId is the user's own.
    checkReference(ctx, demographics.file, row, 'sourcedId', users);
    const birthDate = dateValue(ctx, demographics.file, row, 'birthDate');
    if (birthDate !== null) dates.set(row.id, birthDate);
  }
  return dates;
}

export function readPeople(
  ctx: Context,
  users: Table,
  kinds: ReadonlyMap<string, UserKind>,
  dates: PupilDates,
): People {
  const people: People = { pupils: [], contacts: [], staff: [], removed: [] };
  for (const row of users.rows) {
    if (row.deleted) {
      people.removed.push(row.id);
      continue;
    }
    const kind = kinds.get(row.id);
    const enabled = booleanValue(ctx, users.file, row, 'enabledUser');
    const forename = row.value('givenName');
    const surname = row.value('familyName');
    const email = row.value('email') || null;
    if (kind?.pupil) people.pupils.push(pupil(ctx, users.file, row, enabled, dates));
    if (kind?.contactRole) {
      const mobile = row.value('sms') || row.value('phone') || null;
      people.contacts.push({
        id: row.id,
        title: null,
        forename,
        surname,
        email,
        mobile,
        doNotContact: false,
      });
    }
    if (kind?.staff)
      people.staff.push({ id: row.id, title: null, forename, surname, email, leavingDate: null });
  }
  return people;
}

function pupil(ctx: Context, file: string, row: Row, enabled: boolean | null, dates: PupilDates): MisPupil {
  const dateOfBirth = dates.birthDates.get(row.id) ?? null;
  if (dateOfBirth === null) {
    ctx.issues.warn(
      row.where('sourcedId'),
      'no-birth-date',
      `Pupil ${row.id} has no birthDate in demographics.csv, so their date of birth is not known.`,
      'pupils',
    );
  }
  let entryDate = dates.firstEnrolled.get(row.id) ?? dates.schoolYearStart;
  if (entryDate === null) {
    // The first import is the baseline: such pupils are on roll now, not from tomorrow.
    entryDate = ctx.firstImport ? addDays(ctx.today, -1) : ctx.today;
    ctx.issues.warn(
      row.where('sourcedId'),
      'no-entry-date',
      ctx.firstImport
        ? `Pupil ${row.id} has no enrollment start date and no current school year is listed; as this is the school's first import, they are on roll from now.`
        : `Pupil ${row.id} has no enrollment start date and no current school year is listed, so today was used as their start date.`,
      'pupils',
    );
  }
  let leavingDate: IsoDate | null = null;
  if (enabled === false) {
    leavingDate = ctx.today;
    ctx.issues.warn(
      row.where('enabledUser'),
      'disabled-user',
      `Pupil ${row.id} has enabledUser false, so they were treated as having left today.`,
      file,
    );
  }
  return {
    id: row.id,
    upn: readUpn(ctx, file, row),
    forename: row.value('givenName'),
    surname: row.value('familyName'),
    dateOfBirth,
    entryDate,
    leavingDate,
  };
}

/** The UPN: users.identifier when it is one, else a `{UPN:…}` entry in userIds. */
function readUpn(ctx: Context, file: string, row: Row): string | null {
  const fromIds = listValue(row, 'userIds').flatMap(
    (entry) => /^\{UPN:(.+)\}$/i.exec(entry)?.[1]?.trim() ?? [],
  );
  const candidates: { value: string; column: string }[] = [
    { value: row.value('identifier'), column: 'identifier' },
    ...fromIds.map((value) => ({ value, column: 'userIds' })),
  ];
  for (const { value, column } of candidates) {
    if (isValidUpn(value)) return value;
    if (UPN_SHAPE.test(value) || column === 'userIds') {
      ctx.issues.warn(
        row.where(column),
        'upn-check-letter',
        `UPN ${value} for pupil ${row.id} fails the DfE check; please correct it in the MIS.`,
      );
    }
  }
  return null;
}
