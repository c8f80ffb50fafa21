import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  demoSchool,
  isoDate,
  londonInstant,
  rosterCounts,
  rosterOn,
  schoolSummarySchema,
  type IsoDate,
} from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { listSchools, loadRoster, loadWalletBook } from './db/school-store.ts';
import { loadDemoOnFirstRun } from './demo-data.ts';
import { makeUser, sessionCookie } from '../test/test-accounts.ts';
import { tempDatabase } from '../test/temp-database.ts';

let cleanup = (): void => undefined;
afterEach(() => {
  cleanup();
});

const NOW = londonInstant('2026-11-28' as IsoDate, 10);

function demoApp() {
  const temp = tempDatabase();
  cleanup = temp.cleanup;
  loadDemoOnFirstRun(temp.db, NOW);
  const teacher = makeUser(temp.db, 1, 'staff', ['staff']);
  const cookie = sessionCookie(temp.db, teacher, NOW);
  return { app: createApp({ db: temp.db, clock: () => NOW }), db: temp.db, headers: { cookie } };
}

describe('the demo school on first run', () => {
  it('is what the README says it is', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8').replace(
      /\s+/g,
      ' ',
    );
    const { mis } = demoSchool({ academicYear: 2026 });
    const december = rosterCounts(rosterOn(mis, isoDate('2026-12-01')));
    const joining = mis.pupils.filter((pupil) => pupil.entryDate > '2026-12-01').length;
    const leaving = mis.pupils.filter((pupil) => pupil.leavingDate === '2027-07-23').length;
    expect(readme).toContain(
      `two classes a year (${december.classes} classes), ${mis.pupils.length} pupils in the MIS (${december.pupils} on roll in December, ${joining} more joining in January, ${leaving} Year 6 leavers on 23 July), ${mis.contacts.length} contacts and ${mis.staff.length} staff`,
    );
  });

  it('is stored exactly as generated, roster and money', () => {
    const { db } = demoApp();
    const [school] = listSchools(db);
    if (!school) throw new Error('the demo school should be loaded');
    const demo = demoSchool({ academicYear: 2026 });
    expect(loadRoster(db, school)).toEqual(demo.mis);
    expect(loadWalletBook(db, school.id)).toEqual(demo.book);
  });

  it('is loaded once: a second start changes nothing', () => {
    const { db } = demoApp();
    expect(loadDemoOnFirstRun(db, NOW)).toBeNull();
    expect(listSchools(db)).toHaveLength(1);
  });
});

describe('routes', () => {
  it('GET /api/health answers ok', async () => {
    const { app } = demoApp();
    const response = await app.request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'ok' });
  });

  it('GET /api/school/summary counts the roster as of the server clock', async () => {
    const { app, headers } = demoApp();
    const body = schoolSummarySchema.parse(
      await (await app.request('/api/school/summary', { headers })).json(),
    );
    const expected = rosterCounts(rosterOn(demoSchool({ academicYear: 2026 }).mis, NOW));
    expect(body).toMatchObject({ name: 'Brookfield Primary School', asOf: '2026-11-28', counts: expected });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const { app } = demoApp();
    const response = await app.request('/api/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not-found' });
  });

  it('asks who is asking before showing the school', async () => {
    const { app } = demoApp();
    const response = await app.request('/api/school/summary');
    expect(response.status).toBe(401);
  });
});
