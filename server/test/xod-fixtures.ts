/**
 * Xporter on Demand records for the stand-in server and the client tests, read from the JSON files
 * in fixtures/xporter: the recorded samples (TeamSatchel/xod_client VCR cassettes, test estab
 * 3281101, fictional data) and, where no recording exists, documented-shapes.json, whose rows follow
 * the field tables in Groupcall's own endpoint documentation and say so in its `_source`.
 */
import { readFileSync } from 'node:fs';
import type { XodConnection } from '../src/ingest/xod/pull.ts';
import type { StandInData, XodRecord, XodStandIn } from './xod-standin.ts';

export const XOD_ESTAB = '3281101';
export const XOD_RELYING_PARTY = 'relying-party.com';
export const XOD_SECRET = 'secret';

/** One dataset's rows from a fixture file's recorded `response`. */
function recorded(file: string, dataset: string): readonly XodRecord[] {
  const text = readFileSync(new URL(`fixtures/xporter/${file}.json`, import.meta.url), 'utf8');
  const parsed = JSON.parse(text) as { response?: Record<string, unknown> };
  const rows = parsed.response?.[dataset];
  if (!Array.isArray(rows)) throw new Error(`fixtures/xporter/${file}.json has no ${dataset} rows.`);
  return rows as readonly XodRecord[];
}

export const SCHOOL_INFO = recorded('school_info', 'SchoolInfo');

const DOCUMENTED = 'documented-shapes';
const [ALBUS, HARRY, HERMIONE, DRACO] = [
  ...recorded('students_1', 'Students'),
  ...recorded('students_2', 'Students'),
] as [XodRecord, XodRecord, XodRecord, XodRecord];

/** students_1.json + students_2.json (recorded order), then Ron (documented shape). */
export const STUDENTS: readonly XodRecord[] = [
  ALBUS,
  HARRY,
  HERMIONE,
  DRACO,
  ...recorded(DOCUMENTED, 'Students'),
];
export const CONTACTS = recorded(DOCUMENTED, 'Contacts');
export const STUDENT_CONTACTS = recorded(DOCUMENTED, 'StudentContacts');
/** groups.json (two year groups), then a registration group shaped like them. */
export const GROUPS: readonly XodRecord[] = [
  ...recorded('groups', 'Group'),
  ...recorded(DOCUMENTED, 'Group'),
];
export const STUDENT_MEMBERS = recorded(DOCUMENTED, 'StudentMembers');
export const STAFF = recorded('staff', 'Staff');

/** changedRows tokens: the first is from students_3.json; the next one is made up. */
export const CHANGED_ROWS = '0414025e3f87151229b8964169a480e5';
export const NEXT_CHANGED_ROWS = '9f2b6c1d4e8a7035b1c2d3e4f5a6b7c8';

/** The stand-in with every dataset, and a changeset shaped like students_3.json. */
export function xodStandInData(): StandInData {
  return {
    estab: XOD_ESTAB,
    relyingParty: XOD_RELYING_PARTY,
    secret: XOD_SECRET,
    datasets: {
      SchoolInfo: SCHOOL_INFO,
      Students: STUDENTS,
      Contacts: CONTACTS,
      StudentContacts: STUDENT_CONTACTS,
      Group: GROUPS,
      StudentMembers: STUDENT_MEMBERS,
      Staff: STAFF,
    },
    delta: {
      changedRows: CHANGED_ROWS,
      nextChangedRows: NEXT_CHANGED_ROWS,
      // students_3.json abbreviates changed rows to {Id}; real ones are presumably whole records.
      changed: {
        Students: [{ ...ALBUS, RegGroup: '4AB', RowHash: 'C1F0E2D3B4A5968778695A4B3C2D1E0F1A2B3C4D' }, HARRY],
      },
      deleted: {
        Students: [
          {
            Id: '3221',
          },
          {
            Id: '3920',
          },
        ],
        StudentMembers: [{ Id: 'GR-180.PL-3221' }],
      },
    },
  };
}

/** A school's connection to this stand-in, with the test estab and credentials it accepts. */
export function standInConnection(
  standIn: Pick<XodStandIn, 'baseUrl' | 'tokenUrl'>,
  schoolId: number,
): XodConnection {
  return {
    schoolId,
    baseUrl: standIn.baseUrl,
    tokenUrl: standIn.tokenUrl,
    xodEstab: XOD_ESTAB,
    relyingParty: XOD_RELYING_PARTY,
    secret: XOD_SECRET,
    everyHours: 4,
  };
}
