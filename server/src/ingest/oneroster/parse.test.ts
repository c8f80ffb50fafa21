import { describe, expect, it } from 'vitest';
import type { ParseResult, RosterBatch } from '../core/types.ts';
import { parseOneRoster } from './parse.ts';
import {
  addRow,
  editFile,
  loadSample,
  relabel,
  SAMPLES,
  setCell,
  TODAY,
} from '../../../test/oneroster-samples.ts';

const v11 = loadSample(SAMPLES.v11Bulk);
const broken = loadSample(SAMPLES.v12Broken);
const delta = loadSample(SAMPLES.v12Delta);
const STAMP = '2023-10-02T00:00:00.000Z';

function parse(files: ReadonlyMap<string, string>): ParseResult {
  return parseOneRoster(files, { today: TODAY });
}

function batchOf(files: ReadonlyMap<string, string>): RosterBatch {
  const result = parse(files);
  if (!result.ok) throw new Error(`Refused: ${JSON.stringify(result.errors, null, 1)}`);
  return result.batch;
}

function errorsOf(files: ReadonlyMap<string, string>): string[] {
  const result = parse(files);
  return result.ok ? [] : result.errors.map((issue) => `${issue.where} ${issue.code}`);
}

const codes = (batch: RosterBatch): string[] => batch.warnings.map((issue) => issue.code);

describe('the deliberately broken OneRoster 1.2 set', () => {
  it('is refused with every error at its file, row and column, and no batch', () => {
    const result = parse(broken);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('batch');
    expect(errorsOf(broken)).toEqual([
      'manifest.csv:21:2 bad-manifest-mode',
      'manifest.csv:22:2 bad-manifest-mode',
      'manifest.csv:23:2 bad-manifest-mode',
      'users.csv:2:3 bad-timestamp',
      'users.csv:4:3 bad-timestamp',
      'users.csv:5:3 bad-timestamp',
      'users.csv:6:3 bad-timestamp',
      'users.csv:7:3 bad-timestamp',
      'roles.csv:2:10 field-count',
      'roles.csv:3:10 field-count',
      'roles.csv:4:10 field-count',
      'roles.csv:5:10 field-count',
      'roles.csv:6:10 field-count',
      'roles.csv:7:10 field-count',
      'roles.csv:8:10 field-count',
    ]);
  });

  it('explains each error in a sentence', () => {
    const result = parse(broken);
    const messages = result.ok ? [] : result.errors.map((issue) => issue.message);
    expect(messages).toContain(
      'file.userProfiles in manifest.csv is blank; it must be bulk, delta or absent.',
    );
    expect(messages).toContain('Row 2 of roles.csv has 9 values but the header names 11 columns.');
    for (const message of messages) expect(message).toMatch(/^[A-Za-z].*\.$/);
  });
});

describe('the OneRoster 1.1 bulk set', () => {
  const batch = batchOf(v11);

  it('applies as a full batch: 3 pupils, 1 contact and link, 2 staff, 3 groups', () => {
    expect(batch).toMatchObject({ source: 'oneroster', mode: 'full', estab: null, schoolName: null });
    const { records } = batch;
    expect(records.pupils.map((pupil) => pupil.id)).toEqual([
      'usr-222-66778899',
      'usr-222-1234561232',
      'usr-222-567891',
    ]);
    expect(records.contacts).toEqual([
      {
        id: 'usr-222-1234561',
        title: null,
        forename: 'Thomas',
        surname: 'Jones',
        email: 'thomas.jones@testemail.com',
        mobile: '6039876543',
        doNotContact: false,
      },
    ]);
    expect(records.links).toEqual([
      {
        pupilId: 'usr-222-66778899',
        contactId: 'usr-222-1234561',
        relationship: 'Parent',
        priority: 1,
        parentalResponsibility: true,
      },
    ]);
    expect(records.staff.map((staff) => staff.id)).toEqual(['usr-222-123456', 'usr-222-987654']);
    expect(records.groups).toEqual([
      { id: 'cls-222-123456', name: 'Introduction to Physics', kind: 'custom' },
      { id: 'year:12', name: 'Year 12', kind: 'year' },
      { id: 'year:11', name: 'Year 11', kind: 'year' },
    ]);
    expect(records.memberships).toEqual([
      {
        groupId: 'cls-222-123456',
        pupilId: 'usr-222-1234561232',
        startDate: '2022-03-15',
        endDate: '2022-06-15',
      },
      { groupId: 'year:12', pupilId: 'usr-222-66778899', startDate: null, endDate: null },
      { groupId: 'year:12', pupilId: 'usr-222-1234561232', startDate: null, endDate: null },
      { groupId: 'year:11', pupilId: 'usr-222-567891', startDate: null, endDate: null },
    ]);
  });

  it('dates pupils from their first enrollment, else today, and leaves birth dates unknown', () => {
    const [mary, mmichel] = batch.records.pupils;
    expect(mary).toEqual({
      id: 'usr-222-66778899',
      upn: null,
      forename: 'Mary',
      surname: 'Jones',
      dateOfBirth: null,
      entryDate: TODAY,
      leavingDate: null,
    });
    expect(mmichel?.entryDate).toBe('2022-03-15');
  });

  it('warns about each kind of non-conforming value it tolerated', () => {
    expect(codes(batch)).toEqual(
      expect.arrayContaining([
        'boolean-case',
        'enum-case',
        'deleted-in-bulk',
        'bad-status',
        'date-only-timestamp',
        'agent-not-contact',
        'agent-ignored',
        'enrollment-not-pupil',
        'class-removed',
        'no-school-org',
        'no-birth-date',
        'no-entry-date',
      ]),
    );
    const where = (code: string): string | undefined =>
      batch.warnings.find((issue) => issue.code === code)?.where;
    expect(where('boolean-case')).toBe('users.csv:2:4');
    expect(where('enum-case')).toBe('classes.csv:2:8');
    expect(where('bad-status')).toBe('academicSessions.csv:4:2');
    expect(where('enrollment-not-pupil')).toBe('enrollments.csv:3:1');
    expect(batch.warnings.find((issue) => issue.code === 'boolean-case')?.message).toContain('5 more rows');
  });

  it('never copies a password', () => {
    expect(JSON.stringify(batch)).not.toContain('Password1-');
  });

  it('maps columns by header name, not position', () => {
    const reversed = editFile(v11, 'users.csv', (rows) => rows.map((row) => [...row].reverse()));
    expect(batchOf(reversed).records).toEqual(batch.records);
  });

  it('takes the start of the current school year when a pupil has no enrollment', () => {
    const files = editFile(v11, 'academicSessions.csv', (rows) =>
      addRow(rows, {
        sourcedId: 'sy-2026',
        title: '2025/26',
        type: 'schoolYear',
        startDate: '2025-09-03',
        endDate: '2026-07-22',
      }),
    );
    const entryDates = batchOf(files).records.pupils.map((pupil) => pupil.entryDate);
    expect(entryDates).toEqual(['2025-09-03', '2022-03-15', '2025-09-03']);
  });

  it('reads a UPN from identifier and warns when its check letter is wrong', () => {
    let files = editFile(v11, 'users.csv', (rows) =>
      setCell(rows, 'usr-222-66778899', 'identifier', 'B801200005001'),
    );
    files = editFile(files, 'users.csv', (rows) =>
      setCell(rows, 'usr-222-567891', 'identifier', 'C801200005001'),
    );
    const result = batchOf(files);
    expect(result.records.pupils.map((pupil) => pupil.upn)).toEqual(['B801200005001', null, null]);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ where: 'users.csv:7:12', code: 'upn-check-letter' }),
    );
  });

  it('makes KG Reception and warns about a grade with no UK year', () => {
    let files = editFile(v11, 'users.csv', (rows) => setCell(rows, 'usr-222-66778899', 'grades', 'KG'));
    files = editFile(files, 'users.csv', (rows) => setCell(rows, 'usr-222-567891', 'grades', 'PK'));
    const result = batchOf(files);
    expect(result.records.groups).toContainEqual({ id: 'year:KG', name: 'Reception', kind: 'year' });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ where: 'users.csv:7:17', code: 'unmapped-grade' }),
    );
  });

  it('treats a disabled pupil as leaving today, and refuses an enabledUser that is not a boolean', () => {
    const disabled = editFile(v11, 'users.csv', (rows) =>
      setCell(rows, 'usr-222-567891', 'enabledUser', 'false'),
    );
    const result = batchOf(disabled);
    expect(result.records.pupils.find((pupil) => pupil.id === 'usr-222-567891')?.leavingDate).toBe(TODAY);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ where: 'users.csv:7:4', code: 'disabled-user' }),
    );
    const bad = editFile(v11, 'users.csv', (rows) => setCell(rows, 'usr-222-567891', 'enabledUser', 'yes'));
    expect(errorsOf(bad)).toEqual(['users.csv:7:4 bad-boolean']);
  });

  it('takes the school name and DfE number from the one org of type school', () => {
    const school = editFile(v11, 'orgs.csv', (rows) =>
      setCell(setCell(rows, 'org-sch-222-456', 'type', 'school'), 'org-sch-222-456', 'identifier', '8012000'),
    );
    expect(batchOf(school)).toMatchObject({ schoolName: 'History Department', estab: '8012000' });
    const two = editFile(school, 'orgs.csv', (rows) =>
      addRow(rows, { sourcedId: 'org-2', name: 'Other School', type: 'school' }),
    );
    expect(errorsOf(two)).toEqual(['orgs.csv:3:5 several-schools']);
  });

  it('links both directions, a pupil’s own list first, and ignores links to staff', () => {
    const files = editFile(v11, 'users.csv', (rows) => {
      let edited = addRow(rows, {
        sourcedId: 'usr-g1',
        enabledUser: 'true',
        role: 'guardian',
        givenName: 'Gina',
        familyName: 'Brown',
        phone: '07700900123',
      });
      edited = addRow(edited, {
        sourcedId: 'usr-r1',
        enabledUser: 'true',
        role: 'relative',
        givenName: 'Rob',
        familyName: 'Brown',
      });
      edited = setCell(edited, 'usr-222-567891', 'agentSourcedIds', 'usr-g1, usr-r1,usr-222-987654');
      return setCell(edited, 'usr-222-1234561', 'agentSourcedIds', 'usr-222-66778899,usr-222-567891');
    });
    const result = batchOf(files);
    expect(result.records.links.filter((link) => link.pupilId === 'usr-222-567891')).toEqual([
      {
        pupilId: 'usr-222-567891',
        contactId: 'usr-g1',
        relationship: 'Guardian',
        priority: 1,
        parentalResponsibility: true,
      },
      {
        pupilId: 'usr-222-567891',
        contactId: 'usr-r1',
        relationship: 'Relative',
        priority: 2,
        parentalResponsibility: false,
      },
      {
        pupilId: 'usr-222-567891',
        contactId: 'usr-222-1234561',
        relationship: 'Parent',
        priority: 3,
        parentalResponsibility: true,
      },
    ]);
    expect(result.records.contacts.find((contact) => contact.id === 'usr-g1')?.mobile).toBe('07700900123');
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ where: 'users.csv:3:16', code: 'agent-not-contact' }),
    );
  });

  it('reads a misspelt header as the column it means, with a warning', () => {
    const files = editFile(v11, 'users.csv', (rows) => [
      (rows[0] ?? []).map((name) => (name === 'dateLastModified' ? 'dataLastModified' : name)),
      ...rows.slice(1),
    ]);
    const result = batchOf(files);
    expect(result.records).toEqual(batch.records);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ where: 'users.csv:1:3', code: 'header-typo' }),
    );
  });

  it('lists at most 500 errors, then says how many more there were', () => {
    const files = editFile(v11, 'users.csv', (rows) =>
      rows.map((row, at) => (at === 0 ? row : row.map((cell, column) => (column === 3 ? 'maybe' : cell)))),
    );
    const many = editFile(files, 'users.csv', (rows) => {
      let grown = rows;
      for (let index = 0; index < 600; index++) {
        grown = addRow(grown, {
          sourcedId: `u${index}`,
          enabledUser: 'maybe',
          role: 'student',
          givenName: 'A',
          familyName: 'B',
        });
      }
      return grown;
    });
    const result = parse(many);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(501);
    expect(errors[500]).toEqual({ where: '', code: 'more-issues', message: '…and 106 more errors.' });
  });

  it('refuses structural faults with their position', () => {
    const unknownUser = editFile(v11, 'enrollments.csv', (rows) =>
      setCell(rows, 'enr-s-222-12345-987655', 'userSourcedId', 'usr-nobody'),
    );
    expect(errorsOf(unknownUser)).toEqual(['enrollments.csv:4:6 unknown-reference']);
    const badDate = editFile(v11, 'enrollments.csv', (rows) =>
      setCell(rows, 'enr-s-222-12345-987655', 'beginDate', '15/03/2022'),
    );
    expect(errorsOf(badDate)).toEqual(['enrollments.csv:4:9 bad-date']);
    const duplicate = editFile(v11, 'users.csv', (rows) =>
      addRow(rows, { sourcedId: 'usr-222-567891', givenName: 'A', familyName: 'B' }),
    );
    expect(errorsOf(duplicate)).toEqual(['users.csv:8:1 duplicate-id']);
    const badType = editFile(v11, 'classes.csv', (rows) =>
      setCell(rows, 'cls-222-123456', 'classType', 'lecture'),
    );
    expect(errorsOf(badType)).toEqual(['classes.csv:2:8 unknown-value']);
    const missingColumn = editFile(v11, 'users.csv', (rows) =>
      rows.map((row) => row.filter((_, at) => at !== 8)),
    );
    const result = parse(missingColumn);
    expect(result.ok ? [] : result.errors).toEqual([
      {
        where: 'users.csv',
        code: 'missing-column',
        message: 'users.csv has no "givenName" column, which this import needs.',
      },
    ]);
  });
});

describe('the OneRoster 1.2 delta set', () => {
  it('applies as a delta', () => {
    const batch = batchOf(delta);
    expect(batch).toMatchObject({
      source: 'oneroster',
      mode: 'delta',
      schoolName: 'Gotham High School',
      estab: null,
    });
    expect(batch.records.pupils).toEqual([
      {
        id: 'USER_0',
        upn: null,
        forename: 'Bruce',
        surname: 'Wayne',
        dateOfBirth: '2010-04-17',
        entryDate: TODAY,
        leavingDate: null,
      },
    ]);
    expect(batch.records.groups).toEqual([{ id: 'CLASS_001', name: 'Basic Detection', kind: 'custom' }]);
    expect(batch.records.memberships).toEqual([
      { groupId: 'CLASS_001', pupilId: 'USER_0', startDate: null, endDate: null },
    ]);
    // Bruce has no grade, so no year group is his any more.
    expect(batch.removed.membership).toContain('year:09:USER_0');
    expect(codes(batch)).toEqual(['boolean-case', 'no-entry-date']);
    expect(JSON.stringify(batch)).not.toContain('Batman.Ru1ez');
  });

  it('turns tobedeleted rows into removed keys', () => {
    let files = editFile(delta, 'users.csv', (rows) => setCell(rows, 'USER_0', 'status', 'tobedeleted'));
    files = editFile(files, 'classes.csv', (rows) => setCell(rows, 'CLASS_001', 'status', 'tobedeleted'));
    files = editFile(files, 'enrollments.csv', (rows) =>
      setCell(rows, 'ENROLLMENT_001', 'status', 'tobedeleted'),
    );
    const batch = batchOf(files);
    expect(batch.records.pupils).toEqual([]);
    expect(batch.records.memberships).toEqual([]);
    expect(batch.removed).toMatchObject({
      pupil: ['USER_0'],
      group: ['CLASS_001'],
      membership: ['CLASS_001:USER_0'],
    });
  });

  it('accepts references to rows the server may already hold', () => {
    const files = editFile(delta, 'enrollments.csv', (rows) =>
      addRow(rows, {
        sourcedId: 'ENR_2',
        status: 'active',
        dateLastModified: STAMP,
        classSourcedId: 'CLASS_OLD',
        userSourcedId: 'USER_OLD',
        role: 'student',
      }),
    );
    expect(batchOf(files).records.memberships).toContainEqual({
      groupId: 'CLASS_OLD',
      pupilId: 'USER_OLD',
      startDate: null,
      endDate: null,
    });
  });

  it('refuses a delta row without a valid status or a dateLastModified', () => {
    const files = editFile(delta, 'users.csv', (rows) => setCell(rows, 'USER_0', 'status', 'inactive'));
    expect(errorsOf(files)).toEqual(['users.csv:2:2 bad-status']);
    const undated = editFile(delta, 'classes.csv', (rows) =>
      setCell(rows, 'CLASS_001', 'dateLastModified', ''),
    );
    expect(errorsOf(undated)).toEqual(['classes.csv:2:3 missing-field']);
  });

  it('as a bulk set, makes a teacher with a secondary guardian role both staff and a contact', () => {
    let files = relabel(delta, 'delta', 'bulk');
    files = editFile(files, 'users.csv', (rows) =>
      setCell(
        addRow(rows, {
          sourcedId: 'T1',
          enabledUser: 'true',
          username: 't1',
          givenName: 'Tess',
          familyName: 'Teach',
        }),
        'USER_0',
        'agentSourcedIds',
        'T1',
      ),
    );
    files = editFile(files, 'roles.csv', (rows) =>
      addRow(
        addRow(rows, {
          sourcedId: 'R1',
          userSourcedId: 'T1',
          roleType: 'primary',
          role: 'teacher',
          orgSourcedId: 'ORG_1',
        }),
        {
          sourcedId: 'R2',
          userSourcedId: 'T1',
          roleType: 'secondary',
          role: 'guardian',
          orgSourcedId: 'ORG_1',
        },
      ),
    );
    const batch = batchOf(files);
    expect(batch.mode).toBe('full');
    expect(batch.records.staff.map((staff) => staff.id)).toEqual(['T1']);
    expect(batch.records.contacts.map((contact) => contact.id)).toEqual(['T1']);
    expect(batch.records.links).toEqual([
      {
        pupilId: 'USER_0',
        contactId: 'T1',
        relationship: 'Guardian',
        priority: 1,
        parentalResponsibility: true,
      },
    ]);
  });

  it('allows ext: roles in 1.2 but refuses an unknown role', () => {
    const bulk = relabel(delta, 'delta', 'bulk');
    const extension = editFile(bulk, 'roles.csv', (rows) => setCell(rows, 'ROLE_8', 'role', 'ext:mentor'));
    expect(codes(batchOf(extension))).toContain('no-role');
    const unknown = editFile(bulk, 'roles.csv', (rows) => setCell(rows, 'ROLE_8', 'role', 'wizard'));
    expect(errorsOf(unknown)).toEqual(['roles.csv:2:6 unknown-value']);
  });
});

describe('the manifest', () => {
  it('refuses a bundle without one', () => {
    const files = new Map([...v11].filter(([name]) => name !== 'manifest.csv'));
    expect(errorsOf(files)).toEqual(['manifest.csv missing-manifest']);
  });

  it('refuses a version other than 1.1 or 1.2', () => {
    const files = editFile(v11, 'manifest.csv', (rows) => setCell(rows, 'oneroster.version', 'value', '1.0'));
    expect(errorsOf(files)).toEqual(['manifest.csv:3:2 unsupported-version']);
  });

  it('refuses bulk and delta files mixed', () => {
    const files = editFile(v11, 'manifest.csv', (rows) => setCell(rows, 'file.classes', 'value', 'delta'));
    expect(errorsOf(files)).toEqual(['manifest.csv:6:2 mixed-modes']);
  });

  it('refuses a bulk import without enrollments', () => {
    const files = editFile(v11, 'manifest.csv', (rows) =>
      setCell(rows, 'file.enrollments', 'value', 'absent'),
    );
    expect(errorsOf(files)).toEqual(['manifest.csv:11:2 missing-file']);
  });

  it('reads a file whose name differs only in case, with a warning', () => {
    const files = new Map([...v11].map(([name, text]) => [name === 'users.csv' ? 'Users.csv' : name, text]));
    const batch = batchOf(files);
    expect(batch.records.pupils).toHaveLength(3);
    expect(batch.warnings).toContainEqual(
      expect.objectContaining({ where: 'Users.csv', code: 'file-name-case' }),
    );
  });
});
