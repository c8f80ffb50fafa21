import {
  directoryLeaversCheck,
  docName,
  isoDate,
  londonInstant,
  type DirectoryContact,
  type DirectoryPupil,
  type IsoDate,
  type Principal,
} from '@schoolping/shared';
import fc from 'fast-check';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAppWithContext } from '../app.ts';
import type { SchoolRow } from '../db/school-store.ts';
import { loadDemoOnFirstRun } from '../demo-data.ts';
import { runDaily } from '../ingest/core/daily.ts';
import { leaversReport } from '../ingest/core/leavers.ts';
import { tempDatabase } from '../../test/temp-database.ts';

/*
 * The leavers check on a tablet is worked out from the directory document, offline. It must say
 * exactly what the server's check says from the MIS records, for any date, flags included.
 */

const LEAVE_DAY = isoDate('2027-07-23');
const NOW = londonInstant(LEAVE_DAY, 9);
const temp = tempDatabase();
let school: SchoolRow;
let directory: Y.Doc;

beforeAll(() => {
  // The school's year as it happens: loaded in the spring, then the 02:00 run on the leave date.
  school = loadDemoOnFirstRun(temp.db, new Date('2027-03-15T09:00:00Z')) ?? expect.fail('the demo loads');
  temp.db.transaction(() => runDaily(temp.db, school.id, londonInstant(LEAVE_DAY, 2))).immediate();
  // Two mistakes the check exists to catch: a parent left active, and one marked a leaver too soon.
  const karen = temp.db
    .prepare(
      "SELECT mis_id FROM mis_records WHERE school_id = ? AND kind = 'contact' AND json_extract(data, '$.forename') = 'Karen' AND json_extract(data, '$.surname') = 'Daley'",
    )
    .pluck()
    .get(school.id) as string;
  const mark = temp.db
    .prepare(
      "SELECT mis_id FROM mis_records WHERE school_id = ? AND kind = 'contact' AND json_extract(data, '$.forename') = 'Mark' AND json_extract(data, '$.surname') = 'Daley'",
    )
    .pluck()
    .get(school.id) as string;
  const setStatus = temp.db.prepare(
    "UPDATE roster_state SET status = ? WHERE school_id = ? AND kind = 'contact' AND mis_id = ?",
  );
  setStatus.run('active', school.id, karen);
  setStatus.run('leaver', school.id, mark);

  const { sync } = createAppWithContext({ db: temp.db, clock: () => NOW, log: () => undefined });
  const staff: Principal = {
    userId: 1,
    schoolId: school.id,
    roles: ['staff'],
    contactId: null,
    isReadOnly: false,
  };
  const name = docName({ kind: 'directory', schoolId: school.id, owner: null, academicYear: null });
  if (!sync.open(staff, name).ok) expect.fail('staff open the directory');
  directory = new Y.Doc();
  Y.applyUpdate(directory, sync.documents.state(name));
});
afterAll(() => {
  temp.cleanup();
});

function onDevice(date: IsoDate) {
  return directoryLeaversCheck(
    directory.getMap<DirectoryPupil>('pupils'),
    directory.getMap<DirectoryContact>('contacts'),
    (directory.getMap('meta').get('appliedDay') as IsoDate | null | undefined) ?? null,
    date,
  );
}

it('finds on the device the leavers and flags the server finds, on the leave date', () => {
  const server = leaversReport(temp.db, school, LEAVE_DAY);
  expect(server.flagged).toBeGreaterThanOrEqual(2);
  expect(server.pupils.length).toBeGreaterThan(20);
  expect(onDevice(LEAVE_DAY)).toEqual(server);
});

it('agrees with the server for any date of the year, before or after the last run', () => {
  fc.assert(
    fc.property(
      fc.date({
        min: new Date('2026-09-01T12:00:00Z'),
        max: new Date('2027-08-31T12:00:00Z'),
        noInvalidDate: true,
      }),
      (when) => {
        const date = isoDate(when.toISOString().slice(0, 10));
        expect(onDevice(date)).toEqual(leaversReport(temp.db, school, date));
      },
    ),
    { numRuns: 60 },
  );
});
