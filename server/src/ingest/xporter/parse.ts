import {
  isValidUpn,
  type MisContact,
  type MisGroup,
  type MisLink,
  type MisPupil,
  type MisStaff,
} from '@schoolping/shared';
import type { z } from 'zod';
import {
  recordKey,
  type Completeness,
  type FeedMembership,
  type ParseResult,
  type RecordKind,
  type RosterBatch,
} from '../core/types.ts';
import { readDeleted } from './deleted.ts';
import { IssueList, pointer, zodIssues } from './issues.ts';
import { readPagination } from './pagination.ts';
import {
  DATASETS,
  type ContactRecord,
  type DatasetName,
  type GroupRecord,
  type StaffRecord,
  type StudentContactRecord,
  type StudentRecord,
} from './schema.ts';

const MAX_RECORDS_PER_DATASET = 100_000;
const MAX_ISSUES = 500;
/** Keys XoD sends beside the datasets; accepted and ignored. */
const BOOKKEEPING = new Set([
  '__changedRows__',
  '__pagination__',
  'meta',
  'StudentSiblings',
  'StaffMembers',
  'GroupTypes',
]);

type Parsed = { [K in DatasetName]: { record: z.infer<(typeof DATASETS)[K]>; index: number }[] };

/** Check and translate one XoD push. Nothing is half-read: any error and the answer is only errors. */
export function parseXporter(body: unknown): ParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ok: false,
      errors: [
        { where: '', code: 'not-an-object', message: 'The body must be one JSON object of XoD datasets.' },
      ],
    };
  }
  const input: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  // XoD's own documentation names the link dataset both ways.
  if (input.StudentContacts === undefined && input.StudentContact !== undefined)
    input.StudentContacts = input.StudentContact;
  const paging = readPagination(input.__pagination__);
  if (!paging.ok)
    return {
      ok: false,
      errors: [
        {
          where: pointer('__pagination__'),
          code: 'invalid-pagination',
          message: `The __pagination__ block is not readable (${paging.problem}), so it cannot be told whether this is the whole answer. Nothing was changed.`,
        },
      ],
    };
  const page = paging.value;
  // Pages gathered into one push keep the first page's block; RowCount then says they are all here.
  const isWhole =
    page === null ||
    page.pageCount <= 1 ||
    (page.rowCount !== null && Array.isArray(input.Students) && input.Students.length === page.rowCount);
  if (page !== null && !isWhole) {
    return {
      ok: false,
      errors: [
        {
          where: pointer('__pagination__'),
          code: 'partial-page',
          message: `This is page ${page.pageNumber} of ${page.pageCount} of an Xporter answer, and a page is not a snapshot: applied alone it would mark everyone on the other pages as left. Gather all ${page.pageCount} pages into one push. Nothing was changed.`,
        },
      ],
    };
  }
  const errors = new IssueList(MAX_ISSUES);
  const warnings = new IssueList(MAX_ISSUES);
  const mode = input.__changedRows__ === undefined ? 'full' : 'delta';
  const parsed = readDatasets(input, errors);
  for (const key of Object.keys(input)) {
    const known =
      key in DATASETS || key === 'StudentContact' || BOOKKEEPING.has(key) || key.endsWith('_deleted');
    if (!known)
      warnings.add({
        where: pointer(key),
        code: 'unknown-dataset',
        message: `"${key}" is not an XoD dataset this server reads; it was ignored.`,
      });
  }
  if (mode === 'full' && !Array.isArray(input.Students)) {
    errors.add({
      where: pointer('Students'),
      code: 'missing-dataset',
      message: 'A full snapshot must include the Students dataset.',
    });
  }
  if (mode === 'full' && !Array.isArray(input.SchoolInfo)) {
    errors.add({
      where: pointer('SchoolInfo'),
      code: 'missing-dataset',
      message: 'A full snapshot must include SchoolInfo, so the server can check which school it is for.',
    });
  }
  const removed = readDeleted(input, errors, warnings);
  if (mode === 'full') checkReferences(parsed, errors);
  if (errors.size > 0) return { ok: false, errors: errors.report() };
  const complete = completeness(input, parsed);
  if (mode === 'full') warnMissing(complete, warnings);
  const batch = { ...translate(parsed, mode, removed, warnings), complete };
  return { ok: true, batch: { ...batch, warnings: warnings.report() } };
}

function readDatasets(input: Record<string, unknown>, errors: IssueList): Parsed {
  const parsed = {
    SchoolInfo: [],
    Students: [],
    Contacts: [],
    StudentContacts: [],
    Group: [],
    StudentMembers: [],
    Staff: [],
  } as unknown as Parsed;
  for (const name of Object.keys(DATASETS) as DatasetName[]) {
    const rows = input[name];
    if (rows === undefined || rows === null) continue;
    if (!Array.isArray(rows)) {
      errors.add({ where: pointer(name), code: 'not-a-list', message: `${name} must be a list of records.` });
      continue;
    }
    if (rows.length > MAX_RECORDS_PER_DATASET) {
      errors.add({
        where: pointer(name),
        code: 'too-many-records',
        message: `${name} has ${rows.length} records; the limit is ${MAX_RECORDS_PER_DATASET}.`,
      });
      continue;
    }
    const seen = new Map<string, number>();
    rows.forEach((row: unknown, index) => {
      const result = DATASETS[name].safeParse(row);
      if (!result.success) {
        errors.add(...zodIssues([name, index], result.error));
        return;
      }
      const idValue = (result.data as { Id?: unknown }).Id;
      if (typeof idValue === 'string') {
        const first = seen.get(idValue);
        if (first !== undefined) {
          errors.add({
            where: pointer(name, index, 'Id'),
            code: 'duplicate-id',
            message: `Id "${idValue}" appears twice in ${name} (also at ${pointer(name, first)}).`,
          });
          return;
        }
        seen.set(idValue, index);
      }
      (parsed[name] as { record: unknown; index: number }[]).push({ record: result.data, index });
    });
  }
  return parsed;
}

/** A dataset left out of a full snapshot is unknown, not empty (a token may lack its scope). */
function completeness(input: Record<string, unknown>, parsed: Parsed): Completeness {
  const has = (name: string): boolean => Array.isArray(input[name]);
  return {
    pupil: has('Students'),
    contact: has('Contacts'),
    link: has('StudentContacts'),
    group: has('Group'),
    staff: has('Staff'),
    // Each student record names its year and class when the Student scope is granted.
    yearAndClass: parsed.Students.some(({ record }) => 'RegGroupId' in record || 'YearGroupId' in record),
    // XoD sends an empty StudentMembers unless members were asked for, so empty proves nothing.
    otherGroups: parsed.StudentMembers.length > 0,
  };
}

function warnMissing(complete: Completeness, warnings: IssueList): void {
  const names: [keyof Completeness, string][] = [
    ['contact', 'Contacts'],
    ['link', 'StudentContacts'],
    ['staff', 'Staff'],
  ];
  for (const [part, name] of names) {
    if (complete[part]) continue;
    warnings.add({
      where: pointer(name),
      code: 'dataset-missing',
      message: `This full snapshot has no ${name}; the ${name} already held were kept unchanged. Check the token's scopes.`,
    });
  }
}

function checkReferences(parsed: Parsed, errors: IssueList): void {
  const students = new Set(parsed.Students.map(({ record }) => record.Id));
  const contacts = new Set(parsed.Contacts.map(({ record }) => record.Id));
  const groups = new Set(parsed.Group.map(({ record }) => record.Id));
  const missing = (dataset: string, index: number, field: string, value: string, target: string): void => {
    errors.add({
      where: pointer(dataset, index, field),
      code: 'unknown-reference',
      message: `${field} "${value}" is not in ${target}.`,
    });
  };
  for (const { record, index } of parsed.StudentContacts) {
    if (!students.has(record.StudentId))
      missing('StudentContacts', index, 'StudentId', record.StudentId, 'Students');
    if (!contacts.has(record.ContactId))
      missing('StudentContacts', index, 'ContactId', record.ContactId, 'Contacts');
  }
  for (const { record, index } of parsed.StudentMembers) {
    if (!students.has(record.StudentId))
      missing('StudentMembers', index, 'StudentId', record.StudentId, 'Students');
    if (!groups.has(record.GroupId)) missing('StudentMembers', index, 'GroupId', record.GroupId, 'Group');
  }
}

function translate(
  parsed: Parsed,
  mode: 'full' | 'delta',
  removed: Record<RecordKind, string[]>,
  warnings: IssueList,
): Omit<RosterBatch, 'warnings' | 'complete'> {
  const school = parsed.SchoolInfo[0]?.record;
  const groups = parsed.Group.map(({ record }) => toGroup(record));
  // Each student names their year and class; a Groups feed that lacks one still gets it.
  for (const { record } of parsed.Students) {
    if (record.YearGroupId) addNamedGroup(groups, record.YearGroupId, record.YearGroup, 'year');
    if (record.RegGroupId) addNamedGroup(groups, record.RegGroupId, record.RegGroup, 'registration');
  }
  const groupIds = new Set(groups.map((group) => group.id));
  const pupils = parsed.Students.map(({ record, index }) => toPupil(record, index, warnings));
  const memberships = new Map<string, FeedMembership>();
  const addMembership = (groupId: string, pupilId: string): void => {
    // A delta may name a group the server already has; a full snapshot must carry it.
    if (mode === 'full' && !groupIds.has(groupId)) return;
    const membership: FeedMembership = { groupId, pupilId, startDate: null, endDate: null };
    memberships.set(recordKey.membership(membership), membership);
  };
  for (const { record } of parsed.Students) {
    if (record.YearGroupId) addMembership(record.YearGroupId, record.Id);
    if (record.RegGroupId) addMembership(record.RegGroupId, record.Id);
  }
  for (const { record } of parsed.StudentMembers) addMembership(record.GroupId, record.StudentId);
  const contacts = parsed.Contacts.map(({ record, index }) => toContact(record, index, warnings));
  warnDuplicateContacts(parsed.Contacts, warnings);
  return {
    source: 'xporter',
    mode,
    estab: school?.EstabId ?? null,
    schoolName: school?.Name ?? null,
    records: {
      pupils,
      contacts,
      links: parsed.StudentContacts.map(({ record }) => toLink(record)),
      groups,
      memberships: [...memberships.values()],
      staff: parsed.Staff.map(({ record }) => toStaff(record)),
    },
    removed,
  };
}

function toPupil(record: StudentRecord, index: number, warnings: IssueList): MisPupil {
  const upn = record.UPN?.trim() ? record.UPN.trim().toUpperCase() : null;
  if (upn !== null && !isValidUpn(upn)) {
    warnings.add({
      where: pointer('Students', index, 'UPN'),
      code: 'upn-check-letter',
      message: `UPN ${upn} for ${record.Forename} ${record.Surname} fails the DfE check; please correct it in the MIS.`,
    });
  }
  return {
    id: record.Id,
    upn,
    forename: record.Forename.trim(),
    surname: record.Surname.trim(),
    dateOfBirth: record.DateofBirth ?? record.DateOfBirth ?? null,
    entryDate: record.EntryDate,
    leavingDate: record.LeavingDate ?? null,
  };
}

function blankToNull(value: string | null | undefined): string | null {
  return value?.trim() ? value.trim() : null;
}

function toContact(record: ContactRecord, index: number, warnings: IssueList): MisContact {
  const email = blankToNull(record.HomeEmail) ?? blankToNull(record.WorkEmail);
  const mobile = blankToNull(record.MobilePhone);
  if (email === null && mobile === null) {
    warnings.add({
      where: pointer('Contacts', index),
      code: 'contact-unreachable',
      message: `${record.Forename} ${record.Surname} has neither an email address nor a mobile number in the MIS.`,
    });
  }
  return {
    id: record.Id,
    title: blankToNull(record.Title),
    forename: record.Forename.trim(),
    surname: record.Surname.trim(),
    email,
    mobile,
    doNotContact: false,
  };
}

function warnDuplicateContacts(rows: Parsed['Contacts'], warnings: IssueList): void {
  const seen = new Map<string, string>();
  for (const { record, index } of rows) {
    const reach = blankToNull(record.HomeEmail) ?? blankToNull(record.MobilePhone);
    if (reach === null) continue;
    const key = `${record.Forename.trim().toLowerCase()}|${record.Surname.trim().toLowerCase()}|${reach.toLowerCase()}`;
    const other = seen.get(key);
    if (other !== undefined && other !== record.Id) {
      warnings.add({
        where: pointer('Contacts', index),
        code: 'duplicate-contact',
        message: `${record.Forename} ${record.Surname} (Id ${record.Id}) looks like the same person as contact ${other}; merge them in the MIS.`,
      });
    }
    seen.set(key, record.Id);
  }
}

function toLink(record: StudentContactRecord): MisLink {
  const responsibility = record.ParResp;
  return {
    pupilId: record.StudentId,
    contactId: record.ContactId,
    relationship: blankToNull(record.Relationship) ?? 'Contact',
    priority: Number(record.Priority),
    parentalResponsibility: responsibility === 1 || responsibility === '1' || responsibility === true,
  };
}

function addNamedGroup(
  groups: MisGroup[],
  id: string,
  name: string | null | undefined,
  kind: MisGroup['kind'],
): void {
  // Without a name the group may already be stored under its real one; never overwrite it with an id.
  if (!name?.trim() || groups.some((group) => group.id === id)) return;
  groups.push({ id, name, kind });
}

function toGroup(record: GroupRecord): MisGroup {
  const kind = record.Type === 'YearGrp' ? 'year' : record.Type === 'RegGrp' ? 'registration' : 'custom';
  return { id: record.Id, name: record.Name, kind };
}

function toStaff(record: StaffRecord): MisStaff {
  return {
    id: record.Id,
    title: blankToNull(record.Title),
    forename: record.Forename.trim(),
    surname: record.Surname.trim(),
    email: blankToNull(record.WorkEmail),
    leavingDate: record.EmploymentEnd ?? null,
  };
}
