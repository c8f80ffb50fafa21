import { addDays, effectiveDay, isoDate, rosterCounts, rosterOn } from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { oneRosterBundle } from '../../../test/oneroster-feeds.ts';
import { zipOf } from '../../../test/zip-builder.ts';
import { loadRoster } from '../../db/school-store.ts';
import { demoFeed, ingestFixture, type IngestFixture } from '../../../test/ingest-fixture.ts';
import { parseOneRoster } from '../oneroster/parse.ts';

let fixture: IngestFixture;
afterEach(() => {
  fixture.cleanup();
});

function pushZip(files: ReadonlyMap<string, string>): Promise<Response> {
  return Promise.resolve(
    fixture.app.request('/api/mis/oneroster', {
      method: 'POST',
      body: new Uint8Array(zipOf(files)),
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${fixture.key}` },
    }),
  );
}

describe('a class a full feed no longer lists', () => {
  it('ends: still there today, gone (and not counted) from the next 02:00 run, back if listed again', async () => {
    fixture = ingestFixture();
    const { payload } = demoFeed();
    expect((await fixture.pushXporter(payload)).status).toBe(200);
    const today = effectiveDay(fixture.now);
    const classesOn = (day: string): number =>
      rosterCounts(rosterOn(loadRoster(fixture.db, fixture.school), isoDate(day))).classes;
    const before = classesOn(addDays(today, 1));

    const groups = payload.Group as { Id: string; Type: string; Name: string }[];
    const [dropped, kept] = groups.filter((group) => group.Type === 'RegGrp');
    if (!dropped || !kept) throw new Error('the demo has registration classes');
    const students = (payload.Students as Record<string, unknown>[]).map((student) =>
      student.RegGroupId === dropped.Id ? { ...student, RegGroupId: kept.Id, RegGroup: kept.Name } : student,
    );
    const without = {
      ...payload,
      Group: groups.filter((group) => group.Id !== dropped.Id),
      Students: students,
    };
    expect((await fixture.pushXporter(without)).status).toBe(200);
    expect(classesOn(today)).toBe(before);
    expect(classesOn(addDays(today, 1))).toBe(before - 1);
    const stored = loadRoster(fixture.db, fixture.school).groups.find((group) => group.id === dropped.Id);
    expect(stored?.endDate).toBe(addDays(today, -1));

    expect((await fixture.pushXporter(payload)).status).toBe(200);
    expect(classesOn(addDays(today, 1))).toBe(before);
  });
});

describe("a school's first import", () => {
  it('is the baseline: pupils with no start date are on roll at once; later newcomers the day after', async () => {
    fixture = ingestFixture();
    const first = oneRosterBundle({ pupils: 40, estab: '8012000', undated: true });
    expect((await pushZip(first)).status).toBe(200);
    const today = effectiveDay(fixture.now);
    const onRoll = (day: string) =>
      rosterCounts(rosterOn(loadRoster(fixture.db, fixture.school), isoDate(day)));
    expect(onRoll(today)).toMatchObject({ pupils: 40, classes: 2 });

    const later = oneRosterBundle({ pupils: 41, estab: '8012000', undated: true });
    expect((await pushZip(later)).status).toBe(200);
    expect(onRoll(today).pupils).toBe(40);
    expect(onRoll(addDays(today, 1)).pupils).toBe(41);
  });
});

describe('a trust export listing several schools', () => {
  const stamp = '2026-09-01T08:00:00.000Z';
  function trustBundle(): Map<string, string> {
    const users = [
      'sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades',
      `a1,active,${stamp},true,org-a,student,a1,,Ann,Ash,,,,,,g1,03`,
      `a2,active,${stamp},true,org-a,student,a2,,Abe,Ash,,,,,,,03`,
      `b1,active,${stamp},true,org-b,student,b1,,Ben,Birch,,,,,,g2,04`,
      // A parent whose only org is the other school, but whose child is here: they come too.
      `g1,active,${stamp},true,org-b,parent,g1,,Gail,Ash,,,gail@example.org,,,a1,`,
      `g2,active,${stamp},true,org-b,parent,g2,,Gus,Birch,,,gus@example.org,,,b1,`,
      `t1,active,${stamp},true,org-b,teacher,t1,,Tom,Teak,,,tom@example.org,,,,`,
      // A parent on both schools' books, with a child at each: the child at the other school stays there.
      `g3,active,${stamp},true,"org-a,org-b",parent,g3,,Gwen,Cedar,,,gwen@example.org,,,"a2,b2",`,
      `b2,active,${stamp},true,org-b,student,b2,,Bea,Cedar,,,,,,g3,05`,
    ];
    const classes = [
      'sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods',
      `ca,active,${stamp},3A,,,3A,homeroom,,org-a,year,,,`,
      `cb,active,${stamp},4B,,,4B,homeroom,,org-b,year,,,`,
    ];
    const enrollments = [
      'sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate',
      `e1,active,${stamp},ca,org-a,a1,student,true,2026-09-02,`,
      `e2,active,${stamp},ca,org-a,a2,student,true,2026-09-02,`,
      `e3,active,${stamp},cb,org-b,b1,student,true,2026-09-02,`,
      `e4,active,${stamp},cb,org-b,t1,teacher,true,2026-09-02,`,
    ];
    const base = oneRosterBundle({ pupils: 1, estab: '0000000' });
    return new Map([
      ...base,
      [
        'orgs.csv',
        `sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\r\ntrust,active,${stamp},Oak Trust,district,,\r\norg-a,active,${stamp},Ash Primary,school,8012000,trust\r\norg-b,active,${stamp},Birch Primary,school,8012999,trust\r\n`,
      ],
      ['users.csv', `${users.join('\r\n')}\r\n`],
      ['classes.csv', `${classes.join('\r\n')}\r\n`],
      ['enrollments.csv', `${enrollments.join('\r\n')}\r\n`],
    ]);
  }

  it('reads only the school whose identifier is ours, with its pupils, classes and their contacts', () => {
    const parsed = parseOneRoster(trustBundle(), { today: isoDate('2026-11-10'), estab: '8012000' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { batch } = parsed;
    expect(batch).toMatchObject({ estab: '8012000', schoolName: 'Ash Primary' });
    expect(batch.records.pupils.map((pupil) => pupil.id).sort()).toEqual(['a1', 'a2']);
    expect(batch.records.contacts.map((contact) => contact.id).sort()).toEqual(['g1', 'g3']);
    expect(batch.records.staff).toEqual([]);
    expect(
      batch.records.groups.filter((group) => group.kind === 'registration').map((group) => group.id),
    ).toEqual(['ca']);
    expect(batch.records.links.map((link) => `${link.pupilId}:${link.contactId}`).sort()).toEqual([
      'a1:g1',
      'a2:g3',
    ]);
    expect(batch.warnings.map((warning) => warning.code)).toContain('trust-export');
  });

  it('is refused, in words, when none of its schools is ours', () => {
    const parsed = parseOneRoster(trustBundle(), { today: isoDate('2026-11-10'), estab: '8012555' });
    expect(parsed.ok).toBe(false);
    const message = parsed.ok ? '' : (parsed.errors.find((e) => e.code === 'several-schools')?.message ?? '');
    expect(message).toContain('8012555');
  });

  it('applies through the push route for the school the key belongs to', async () => {
    fixture = ingestFixture();
    const response = await pushZip(trustBundle());
    expect(response.status).toBe(200);
    expect(
      loadRoster(fixture.db, fixture.school)
        .pupils.map((pupil) => pupil.id)
        .sort(),
    ).toEqual(['a1', 'a2']);
  });
});
