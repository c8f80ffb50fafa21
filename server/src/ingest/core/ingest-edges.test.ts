import { createHash } from 'node:crypto';
import { isoDate, rosterOn } from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRoster } from '../../db/school-store.ts';
import { changesOn, previewDaily, runDaily } from './daily.ts';
import { acceptHeld, HeldSnapshotError } from './held.ts';
import { demoFeed, ingestFixture, push, type IngestFixture } from '../../../test/ingest-fixture.ts';
import { mergeBatch } from './merge.ts';
import { emptyMaps } from '../../db/mis-records.ts';
import { syncHealth } from './sync-health.ts';
import { COMPLETE, type RosterBatch } from './types.ts';

let fixture: IngestFixture;
afterEach(() => {
  fixture.cleanup();
});

type Payload = Record<string, unknown[]>;

async function loaded(): Promise<Payload> {
  fixture = ingestFixture();
  const { payload } = demoFeed();
  expect((await push(fixture, payload)).status).toBe(200);
  return payload;
}

describe('a full snapshot that leaves a dataset out', () => {
  it('keeps the links and contacts it does not carry, and says so', async () => {
    const payload = await loaded();
    const before = loadRoster(fixture.db, fixture.school);
    const { status, body } = await push(fixture, {
      SchoolInfo: payload.SchoolInfo,
      Students: payload.Students,
    });
    expect(status).toBe(200);
    expect(body.warnings).toContainEqual(
      expect.objectContaining({ where: '/StudentContacts', code: 'dataset-missing' }),
    );
    const after = loadRoster(fixture.db, fixture.school);
    expect(after.links).toEqual(before.links);
    expect(after.contacts).toEqual(before.contacts);
    expect(after.staff).toEqual(before.staff);
  });

  it('is refused without SchoolInfo, since the school cannot be checked', async () => {
    const payload = await loaded();
    const { status, body } = await push(fixture, { ...payload, SchoolInfo: undefined });
    expect(status).toBe(422);
    expect(body.errors).toContainEqual(
      expect.objectContaining({ where: '/SchoolInfo', code: 'missing-dataset' }),
    );
  });
});

describe('a changeset', () => {
  it('removes links and memberships named in its _deleted lists by XoD composite ids', async () => {
    const payload = await loaded();
    const [link] = payload.StudentContacts as { StudentId: string; ContactId: string }[];
    if (!link) throw new Error('the demo has links');
    const roster = loadRoster(fixture.db, fixture.school);
    const membership = roster.memberships.find((m) => m.pupilId === link.StudentId && m.endDate === null);
    if (!membership) throw new Error('the pupil is in a group');
    const delta = {
      StudentContacts_deleted: [{ Id: `PL-${link.StudentId}.PC-${link.ContactId}` }],
      StudentMembers_deleted: [{ Id: `GC-${membership.groupId}.PL-${link.StudentId}` }],
      __changedRows__: [{ NextChangedRows: 'next' }],
    };
    const { status, body } = await push(fixture, delta);
    expect(status).toBe(200);
    expect(body.byKind).toMatchObject({ link: { left: 1 }, membership: { left: 1 } });
    const after = loadRoster(fixture.db, fixture.school);
    expect(after.links.some((l) => l.pupilId === link.StudentId && l.contactId === link.ContactId)).toBe(
      false,
    );
  });

  it('is held like a snapshot when it drops more than 10% of pupils on roll', async () => {
    const payload = await loaded();
    const ids = (payload.Students as { Id: string }[]).slice(0, 100).map((s) => ({ Id: s.Id }));
    const { status } = await push(fixture, { Students_deleted: ids, __changedRows__: [{}] });
    expect(status).toBe(202);
  });
});

describe('held snapshots', () => {
  it('cannot be accepted once newer data has been applied', async () => {
    const payload = await loaded();
    const students = payload.Students as { Id: string }[];
    const held = await push(fixture, { ...payload, Students: students.slice(0, 100), StudentContacts: [] });
    expect(held.status).toBe(202);
    fixture.now = new Date('2026-11-11T10:00:00Z');
    expect((await push(fixture, { ...payload, Staff: [] })).status).toBe(200);
    expect(() => acceptHeld(fixture.db, held.body.heldId as number, fixture.now)).toThrow(HeldSnapshotError);
    expect(
      loadRoster(fixture.db, fixture.school).pupils.filter((p) => p.leavingDate === null).length,
    ).toBeGreaterThan(300);
  });

  it('are stored once however often the same feed is held', async () => {
    const payload = await loaded();
    const partial = {
      ...payload,
      Students: (payload.Students as unknown[]).slice(0, 50),
      StudentContacts: [],
    };
    const first = await push(fixture, partial);
    const second = await push(fixture, partial);
    expect(second.body.heldId).toBe(first.body.heldId);
  });
});

describe('refusals and health', () => {
  it('records feeds refused before reading (bad JSON, wrong type) so sync health says failing', async () => {
    await loaded();
    expect((await fixture.post('/api/mis/xporter', '{"Students": [')).status).toBe(400);
    expect(syncHealth(fixture.db, fixture.school.id, fixture.now).status).toBe('failing');
    expect((await fixture.post('/api/mis/xporter', '{}', 'text/csv')).status).toBe(415);
    expect(syncHealth(fixture.db, fixture.school.id, fixture.now).lastRun?.errors[0]?.code).toBe(
      'unsupported-media-type',
    );
  });

  it('uses the school’s own lateness threshold', async () => {
    await loaded();
    const later = new Date(fixture.now.getTime() + 30 * 3_600_000);
    expect(syncHealth(fixture.db, fixture.school.id, later).status).toBe('late');
    fixture.db.prepare('UPDATE schools SET late_after_hours = 48 WHERE id = ?').run(fixture.school.id);
    expect(syncHealth(fixture.db, fixture.school.id, later).status).toBe('ok');
  });

  it('stores only a hash of the ingest key', async () => {
    await loaded();
    const row = fixture.db
      .prepare('SELECT key_hash FROM ingest_keys WHERE school_id = ?')
      .get(fixture.school.id) as {
      key_hash: string;
    };
    expect(row.key_hash).not.toContain(fixture.key);
    expect(row.key_hash).toBe(createHash('sha256').update(fixture.key).digest('hex'));
  });
});

describe('the daily job', () => {
  it('previews without writing, and never goes back to a day before one applied', async () => {
    await loaded();
    const count = (): number =>
      (fixture.db.prepare('SELECT count(*) AS n FROM change_log').get() as { n: number }).n;
    const july = new Date('2027-07-23T01:00:00Z');
    const preview = previewDaily(fixture.db, fixture.school.id, july);
    expect(preview.some((change) => change.change === 'left')).toBe(true);
    expect(count()).toBe(0);
    runDaily(fixture.db, fixture.school.id, july);
    const applied = count();
    expect(applied).toBeGreaterThan(0);
    expect(runDaily(fixture.db, fixture.school.id, new Date('2026-12-01T03:00:00Z'))).toEqual([]);
    expect(count()).toBe(applied);
  });
});

describe('memberships with dates from the feed', () => {
  it('show the day after the group start date, and the old class until then', () => {
    const batch: RosterBatch = {
      source: 'oneroster',
      mode: 'full',
      estab: null,
      schoolName: 'Test',
      complete: COMPLETE,
      warnings: [],
      removed: { pupil: [], contact: [], link: [], group: [], membership: [], staff: [] },
      records: {
        pupils: [
          {
            id: 'P1',
            upn: null,
            forename: 'Amy',
            surname: 'Test',
            dateOfBirth: null,
            entryDate: isoDate('2025-09-01'),
            leavingDate: null,
          },
        ],
        contacts: [],
        links: [],
        groups: [
          { id: 'A', name: '4A', kind: 'registration' },
          { id: 'B', name: '4B', kind: 'registration' },
        ],
        memberships: [
          { groupId: 'A', pupilId: 'P1', startDate: isoDate('2025-09-01'), endDate: isoDate('2026-11-15') },
          { groupId: 'B', pupilId: 'P1', startDate: isoDate('2026-11-16'), endDate: null },
        ],
        staff: [],
      },
    };
    const { next } = mergeBatch(emptyMaps(), batch, isoDate('2026-11-10'));
    const mis = {
      school: { name: 'Test', estab: '8010001' },
      pupils: [...next.pupil.values()],
      contacts: [],
      links: [],
      groups: [...next.group.values()],
      memberships: [...next.membership.values()],
      staff: [],
    };
    expect(rosterOn(mis, isoDate('2026-11-16')).pupils.get('P1')?.registrationGroupId).toBe('A');
    expect(rosterOn(mis, isoDate('2026-11-17')).pupils.get('P1')?.registrationGroupId).toBe('B');
  });
});

describe('a contact unlinked in the MIS', () => {
  it('becomes a leaver, like a parent whose children have left', async () => {
    const payload = await loaded();
    runDaily(fixture.db, fixture.school.id, new Date('2026-11-11T02:00:00Z'));
    const links = payload.StudentContacts as { ContactId: string }[];
    const [first] = links;
    if (!first) throw new Error('the demo has links');
    const unlinked = {
      ...payload,
      StudentContacts: links.filter((link) => link.ContactId !== first.ContactId),
    };
    fixture.now = new Date('2026-11-11T10:00:00Z');
    expect((await push(fixture, unlinked)).status).toBe(200);
    // Links carry no dates: the ingest's own daily pass records the change the same day.
    const changes = changesOn(fixture.db, fixture.school.id, isoDate('2026-11-11'));
    expect(changes).toContainEqual(
      expect.objectContaining({ change: 'left', kind: 'contact', misId: first.ContactId }),
    );
    const state = fixture.db
      .prepare("SELECT status FROM roster_state WHERE kind = 'contact' AND mis_id = ?")
      .get(first.ContactId);
    expect(state).toEqual({ status: 'leaver' });
  });
});
