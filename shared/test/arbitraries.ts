/*
 * Helpers for the shared tests only (no test imports this from production code): small hand-made
 * MIS records, and a fast-check arbitrary for small but awkward MIS data sets.
 */
import fc from 'fast-check';
import { addDays, isoDate, type IsoDate } from '../src/dates.ts';
import type { MisContact, MisData, MisGroup, MisLink, MisMembership, MisPupil } from '../src/roster/types.ts';

/** The value, or a thrown error naming what was missing: tests read better than with `!`. */
export function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`test fixture: missing ${what}`);
  return value;
}

export const day = isoDate;

/** One minute before an instant. */
export function minuteBefore(at: Date): Date {
  return new Date(at.getTime() - 60_000);
}

export function pupil(id: string, fields: Partial<MisPupil> = {}): MisPupil {
  return {
    id,
    upn: null,
    forename: `Pupil${id}`,
    surname: 'Test',
    dateOfBirth: day('2018-01-01'),
    entryDate: day('2025-09-03'),
    leavingDate: null,
    ...fields,
  };
}

export function contact(id: string, fields: Partial<MisContact> = {}): MisContact {
  return {
    id,
    title: null,
    forename: `Contact${id}`,
    surname: 'Test',
    email: `c${id}@example.com`,
    mobile: null,
    doNotContact: false,
    ...fields,
  };
}

export function link(pupilId: string, contactId: string, fields: Partial<MisLink> = {}): MisLink {
  return { pupilId, contactId, relationship: 'Parent', priority: 1, parentalResponsibility: true, ...fields };
}

export function misData(parts: Partial<MisData>): MisData {
  return {
    school: { name: 'Test School', estab: '8012000' },
    pupils: [],
    contacts: [],
    links: [],
    groups: [],
    memberships: [],
    staff: [],
    ...parts,
  };
}

/** The day small generated MIS data sets are built around; offsets of a few days fall near it. */
export const BASE_DAY = day('2026-09-01');

export const SMALL_GROUPS: readonly MisGroup[] = [
  { id: 'Y', name: 'Year  3', kind: 'year' },
  { id: 'R1', name: '3 Ash', kind: 'registration' },
  { id: 'R2', name: '3 Birch', kind: 'registration' },
  { id: 'C', name: 'Choir', kind: 'custom' },
];

/**
 * Small MIS data: up to six pupils (some not started yet, some leaving), up to five contacts (some
 * blocked), any links between them with mixed priority and parental responsibility, and
 * memberships that start and end on nearby days. Dates are offsets from BASE_DAY so that start,
 * leave and view days collide often.
 */
export const arbSmallMis: fc.Arbitrary<MisData> = fc
  .record({
    pupils: fc.array(
      fc.record({
        entry: fc.integer({ min: 0, max: 9 }),
        leaves: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null }),
        registration: fc.constantFrom('R1', 'R2'),
        choir: fc.option(
          fc.record({
            start: fc.integer({ min: 0, max: 9 }),
            length: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
          }),
          { nil: null },
        ),
      }),
      { minLength: 1, maxLength: 6 },
    ),
    // About one contact in five carries a do-not-contact block.
    contacts: fc.array(
      fc.nat({ max: 4 }).map((roll) => roll === 0),
      { minLength: 1, maxLength: 5 },
    ),
    links: fc.uniqueArray(
      fc.record({
        pupil: fc.nat({ max: 5 }),
        contact: fc.nat({ max: 4 }),
        priority: fc.integer({ min: 1, max: 3 }),
        pr: fc.boolean(),
      }),
      { selector: (draft) => `${draft.pupil}/${draft.contact}`, maxLength: 14 },
    ),
  })
  .map(({ pupils: drafts, contacts: blocks, links: linkDrafts }): MisData => {
    const pupils = drafts.map((draft, index) =>
      pupil(`P${index}`, {
        forename: `Child${index}`,
        entryDate: addDays(BASE_DAY, draft.entry),
        leavingDate: draft.leaves === null ? null : addDays(BASE_DAY, draft.entry + draft.leaves),
      }),
    );
    const contacts = blocks.map((blocked, index) =>
      contact(`C${index}`, { forename: `Adult${index}`, doNotContact: blocked }),
    );
    const seen = new Set<string>();
    const links: MisLink[] = [];
    for (const draft of linkDrafts) {
      const pupilId = `P${draft.pupil % pupils.length}`;
      const contactId = `C${draft.contact % contacts.length}`;
      if (seen.has(`${pupilId}/${contactId}`)) continue;
      seen.add(`${pupilId}/${contactId}`);
      links.push(link(pupilId, contactId, { priority: draft.priority, parentalResponsibility: draft.pr }));
    }
    const memberships: MisMembership[] = [];
    drafts.forEach((draft, index) => {
      const startDate = addDays(BASE_DAY, draft.entry);
      memberships.push({ groupId: 'Y', pupilId: `P${index}`, startDate, endDate: null });
      memberships.push({ groupId: draft.registration, pupilId: `P${index}`, startDate, endDate: null });
      if (draft.choir) {
        const choirStart = addDays(BASE_DAY, draft.choir.start);
        const endDate = draft.choir.length === null ? null : addDays(choirStart, draft.choir.length);
        memberships.push({ groupId: 'C', pupilId: `P${index}`, startDate: choirStart, endDate });
      }
    });
    return misData({ pupils, contacts, links, groups: SMALL_GROUPS, memberships });
  });

/** A view day around BASE_DAY: before anyone starts, through everyone's starts and leaves. */
export const arbViewDay: fc.Arbitrary<IsoDate> = fc
  .integer({ min: -1, max: 17 })
  .map((offset) => addDays(BASE_DAY, offset));

/** The clock changes of 2026 and 2027 in London, all at 01:00 UTC. */
export const CLOCK_CHANGES: readonly number[] = [
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2027-03-28T01:00:00Z',
  '2027-10-31T01:00:00Z',
].map((text) => Date.parse(text));

/** Instants (ms) across 2026-2027, half of them within two days of a clock change. */
export const arbInstant: fc.Arbitrary<number> = fc.oneof(
  fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-12-31T23:59:00Z') }),
  fc
    .tuple(fc.constantFrom(...CLOCK_CHANGES), fc.integer({ min: -48 * 60, max: 48 * 60 }))
    .map(([change, minutes]) => change + minutes * 60_000),
);
