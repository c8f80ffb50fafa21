import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSchool, loadRoster, type SchoolRow } from '../../db/school-store.ts';
import { tempDatabase } from '../../../test/temp-database.ts';
import { syncHealth } from '../core/sync-health.ts';
import { STUDENTS, standInConnection, xodStandInData } from '../../../test/xod-fixtures.ts';
import { pullAndIngest, type XodConnection } from './pull.ts';
import { startXodStandIn, type XodStandIn } from '../../../test/xod-standin.ts';

let standIn: XodStandIn;
let temp: ReturnType<typeof tempDatabase>;
let school: SchoolRow;
const now = (): Date => new Date('2026-11-10T10:00:00Z');

beforeEach(async () => {
  standIn = await startXodStandIn(xodStandInData());
  temp = tempDatabase();
  // Groupcall's test school: its SchoolInfo says 8232999 though it is reached as estab 3281101.
  school = createSchool(temp.db, { name: 'Waters Edge Primary School', estab: '8232999' }, now());
});
afterEach(async () => {
  await standIn.close();
  temp.cleanup();
});

function connection(): XodConnection {
  return standInConnection(standIn, school.id);
}

describe('pulling from Xporter on Demand', () => {
  it('applies a full pull over real HTTP like a push, and sync health says ok', async () => {
    const outcome = await pullAndIngest(temp.db, school, connection(), now);
    expect(outcome).toMatchObject({ outcome: 'applied' });
    const roster = loadRoster(temp.db, school);
    expect(roster.pupils.map((p) => p.id)).toEqual(STUDENTS.map((s) => s.Id));
    expect(roster.links.length).toBeGreaterThan(0);
    expect(syncHealth(temp.db, school.id, now())).toMatchObject({ status: 'ok' });
  });

  it('records an XoD error that came as HTTP 200 as a failed run, and sync health says failing with advice', async () => {
    await pullAndIngest(temp.db, school, connection(), now);
    standIn.setBehaviour({
      faults: { Students: { kind: 'exception', message: 'Xporter service is not running' } },
    });
    const outcome = await pullAndIngest(temp.db, school, connection(), now);
    expect(outcome).toMatchObject({
      outcome: 'failed',
      errors: [expect.objectContaining({ code: 'xod-exception' })],
    });
    const health = syncHealth(temp.db, school.id, now());
    expect(health.status).toBe('failing');
    expect(health.likelyCauses).toContain(
      'The Groupcall Xporter application or service has stopped running on your server.',
    );
    expect(loadRoster(temp.db, school).pupils).toHaveLength(STUDENTS.length);
  });

  it('refuses an answer for another school and applies nothing', async () => {
    const elsewhere = createSchool(temp.db, { name: 'Elsewhere', estab: '8010000' }, now());
    const outcome = await pullAndIngest(temp.db, elsewhere, { ...connection(), schoolId: elsewhere.id }, now);
    expect(outcome).toMatchObject({
      outcome: 'rejected',
      errors: [expect.objectContaining({ code: 'wrong-school' })],
    });
    expect(loadRoster(temp.db, elsewhere).pupils).toEqual([]);
  });
});
