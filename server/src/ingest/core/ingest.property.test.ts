import { addDays, isoDate, londonInstant, type IsoDate } from '@schoolping/shared';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.ts';
import { createSchool, type SchoolRow } from '../../db/school-store.ts';
import { tempDatabase } from '../../../test/temp-database.ts';
import { changesOn, runDaily } from './daily.ts';
import { ingestBatch } from './ingest.ts';
import type { RosterBatch } from './types.ts';
import { parseXporter } from '../xporter/parse.ts';

let db: Db;
let cleanup: () => void;
let schools = 0;
beforeAll(() => {
  ({ db, cleanup } = tempDatabase());
});
afterAll(() => {
  cleanup();
});

/** Each property run gets its own school in one real SQLite file. */
function freshSchool(): SchoolRow {
  schools++;
  return createSchool(
    db,
    { name: `School ${schools}`, estab: String(1_000_000 + schools) },
    new Date('2026-09-01T09:00:00Z'),
  );
}

function batchOf(payload: unknown): RosterBatch {
  const parsed = parseXporter(payload);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.batch;
}

const storedRecords = (school: SchoolRow): unknown[] =>
  db
    .prepare('SELECT kind, mis_id, data FROM mis_records WHERE school_id = ? ORDER BY kind, mis_id')
    .all(school.id);

const arbDate = fc.integer({ min: 0, max: 900 }).map((offset) => addDays(isoDate('2026-01-01'), offset));

const arbPupil = fc.record({
  forename: fc.constantFrom('Amy', 'Ben', 'Cara', 'Dev', 'Ewa'),
  entryDate: arbDate,
  leavingDate: fc.option(arbDate, { nil: null }),
  classId: fc.constantFrom('R1', 'R2', 'R3'),
  contacts: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 0, maxLength: 3 }),
});

type PupilSpec = typeof arbPupil extends fc.Arbitrary<infer T> ? T : never;

function feedOf(pupils: readonly PupilSpec[]): Record<string, unknown[]> {
  const contactIds = new Set(pupils.flatMap((pupil) => pupil.contacts));
  return {
    SchoolInfo: [{ Id: '1', Name: 'Test School', EstabId: '8010001' }],
    Students: pupils.map((pupil, index) => ({
      Id: `S${index}`,
      Forename: pupil.forename,
      Surname: 'Test',
      DateofBirth: '2018-01-01',
      EntryDate: pupil.entryDate,
      LeavingDate: pupil.leavingDate,
      YearGroupId: 'Y1',
      YearGroup: 'Year  1',
      RegGroupId: pupil.classId,
      RegGroup: pupil.classId,
    })),
    Contacts: [...contactIds].map((id) => ({
      Id: `C${id}`,
      Forename: 'Pat',
      Surname: `Parent${id}`,
      HomeEmail: `p${id}@example.com`,
    })),
    StudentContacts: pupils.flatMap((pupil, index) =>
      pupil.contacts.map((id, priority) => ({
        StudentId: `S${index}`,
        ContactId: `C${id}`,
        Relationship: 'Parent',
        Priority: priority + 1,
        ParResp: 1,
      })),
    ),
  };
}

describe('ingest properties', () => {
  it('ingesting any snapshot twice equals ingesting it once', () => {
    fc.assert(
      fc.property(
        fc.array(arbPupil, { maxLength: 25 }),
        fc.integer({ min: 0, max: 48 }),
        (pupils, hoursLater) => {
          const school = freshSchool();
          const batch = batchOf(feedOf(pupils));
          const first = new Date('2026-11-10T10:00:00Z');
          ingestBatch(db, school, batch, 'xporter', first);
          const once = storedRecords(school);
          const later = new Date(first.getTime() + hoursLater * 3_600_000);
          // Through the merge itself: forget that this batch was the last one applied.
          db.prepare('UPDATE schools SET last_batch_digest = NULL WHERE id = ?').run(school.id);
          const second = ingestBatch(db, school, batch, 'xporter', later);
          expect(second).toMatchObject({ outcome: 'applied', counts: { added: 0, updated: 0, left: 0 } });
          expect(storedRecords(school)).toEqual(once);
          // And through the shortcut that recognises the same batch: the same answer.
          const third = ingestBatch(db, school, batch, 'xporter', later);
          expect(third).toEqual({ ...second, runId: third.runId });
          expect(storedRecords(school)).toEqual(once);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a full snapshot missing more than 10% of on-roll pupils without a leave date is always held, and changes nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (size, share) => {
          const school = freshSchool();
          const pupils = Array.from({ length: size }, (_, index) => ({
            forename: 'Amy' as const,
            entryDate: isoDate('2025-09-01'),
            leavingDate: null,
            classId: 'R1' as const,
            contacts: [index % 5],
          }));
          const feed = feedOf(pupils);
          ingestBatch(db, school, batchOf(feed), 'xporter', new Date('2026-11-10T10:00:00Z'));
          const before = storedRecords(school);
          const missing = Math.floor(size * share);
          const partial = feedOf(pupils.slice(missing));
          const outcome = ingestBatch(
            db,
            school,
            batchOf(partial),
            'xporter',
            new Date('2026-11-11T10:00:00Z'),
          );
          if (missing / size > 0.1) {
            expect(outcome.outcome).toBe('held');
            expect(storedRecords(school)).toEqual(before);
          } else {
            expect(outcome.outcome).toBe('applied');
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a leaver appears at 02:00 London time on their leave date, clock-change weekends included', () => {
    const clockChanges = fc.constantFrom(
      isoDate('2026-03-29'),
      isoDate('2026-10-25'),
      isoDate('2027-03-28'),
      isoDate('2027-10-31'),
      isoDate('2026-03-28'),
      isoDate('2026-10-24'),
    );
    fc.assert(
      fc.property(fc.oneof(clockChanges, arbDate), (leavingDate: IsoDate) => {
        const school = freshSchool();
        const feed = feedOf([
          { forename: 'Amy', entryDate: isoDate('2025-01-06'), leavingDate, classId: 'R1', contacts: [1] },
        ]);
        ingestBatch(db, school, batchOf(feed), 'xporter', new Date('2025-06-01T10:00:00Z'));
        const twoAm = londonInstant(leavingDate, 2);
        runDaily(db, school.id, new Date(twoAm.getTime() - 60_000));
        expect(changesOn(db, school.id, addDays(leavingDate, -1)).filter((c) => c.change === 'left')).toEqual(
          [],
        );
        runDaily(db, school.id, twoAm);
        const left = changesOn(db, school.id, leavingDate).filter((c) => c.change === 'left');
        expect(left.map((c) => [c.kind, c.misId])).toEqual([
          ['pupil', 'S0'],
          ['contact', 'C1'],
        ]);
      }),
      { numRuns: 40 },
    );
  });
});
