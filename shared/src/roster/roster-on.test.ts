import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, effectiveDay, londonInstant, type IsoDate } from '../dates.ts';
import {
  arbInstant,
  arbSmallMis,
  arbViewDay,
  contact,
  day,
  link,
  minuteBefore,
  misData,
  must,
  pupil,
} from '../../test/arbitraries.ts';
import { rosterCounts, rosterOn } from './roster-on.ts';
import type { MisData, MisGroup } from './types.ts';

const CLASSES: readonly MisGroup[] = [
  { id: 'Y4', name: 'Year  4', kind: 'year' },
  { id: 'OAK', name: '4 Oak', kind: 'registration' },
  { id: 'ELM', name: '4 Elm', kind: 'registration' },
];

/** One pupil and their mother, with whatever dates the test is about. */
function onePupil(fields: { entryDate?: IsoDate; leavingDate?: IsoDate | null }): MisData {
  return misData({
    pupils: [pupil('P1', { forename: 'Poppy', surname: 'Daley', ...fields })],
    contacts: [contact('C1', { forename: 'Karen', surname: 'Daley' })],
    links: [link('P1', 'C1')],
  });
}

function statusAt(mis: MisData, at: Date): string | undefined {
  return rosterOn(mis, at).pupils.get('P1')?.status;
}

describe('a pupil becomes a leaver at 02:00 London time on the leave date', () => {
  const cases: { name: string; leave: IsoDate; lastActiveUtc: string; firstLeaverUtc: string }[] = [
    // Clocks go forward at 01:00 UTC: 00:59 GMT is followed by 02:00 BST.
    {
      name: 'the day BST starts',
      leave: day('2026-03-29'),
      lastActiveUtc: '2026-03-29T00:59:00Z',
      firstLeaverUtc: '2026-03-29T01:00:00Z',
    },
    // Clocks go back at 01:00 UTC: 01:00-01:59 happens twice, 02:00 GMT once.
    {
      name: 'the day GMT returns',
      leave: day('2026-10-25'),
      lastActiveUtc: '2026-10-25T01:59:00Z',
      firstLeaverUtc: '2026-10-25T02:00:00Z',
    },
    {
      name: 'a July day (BST)',
      leave: day('2026-07-23'),
      lastActiveUtc: '2026-07-23T00:59:00Z',
      firstLeaverUtc: '2026-07-23T01:00:00Z',
    },
    {
      name: 'a winter day (GMT)',
      leave: day('2026-12-18'),
      lastActiveUtc: '2026-12-18T01:59:00Z',
      firstLeaverUtc: '2026-12-18T02:00:00Z',
    },
  ];

  for (const { name, leave, lastActiveUtc, firstLeaverUtc } of cases) {
    it(`on ${name}, ${leave}`, () => {
      const mis = onePupil({ leavingDate: leave });
      const twoAm = londonInstant(leave, 2);
      expect(twoAm.toISOString()).toBe(new Date(firstLeaverUtc).toISOString());
      expect(statusAt(mis, minuteBefore(twoAm))).toBe('active');
      expect(statusAt(mis, new Date(lastActiveUtc))).toBe('active');
      expect(statusAt(mis, twoAm)).toBe('leaver');
      expect(statusAt(mis, new Date(firstLeaverUtc))).toBe('leaver');
      // The day before, the pupil is still on roll all day.
      expect(statusAt(mis, londonInstant(addDays(leave, -1), 12))).toBe('active');
      expect(rosterOn(mis, addDays(leave, -1)).pupils.get('P1')?.status).toBe('active');
      expect(rosterOn(mis, leave).pupils.get('P1')?.status).toBe('leaver');
    });
  }

  it('also during the repeated hour: both 01:30s of 25 Oct 2026 still show the pupil on roll', () => {
    const mis = onePupil({ leavingDate: day('2026-10-25') });
    expect(statusAt(mis, new Date('2026-10-25T00:30:00Z'))).toBe('active'); // 01:30 BST
    expect(statusAt(mis, new Date('2026-10-25T01:30:00Z'))).toBe('active'); // 01:30 GMT
  });

  it('once a leaver, always a leaver later on, across 2026-2027 and its clock changes', () => {
    fc.assert(
      fc.property(
        arbInstant,
        fc.integer({ min: 0, max: 5 * 24 * 60 }),
        fc.array(arbInstant, { minLength: 1, maxLength: 4 }),
        (time, minutesLater, leaveTimes) => {
          // Leave dates fall on the London days of generated instants, so many sit on clock changes.
          const pupils = leaveTimes.map((leaveTime, index) =>
            pupil(`P${index}`, {
              entryDate: day('2025-09-03'),
              leavingDate: effectiveDay(new Date(leaveTime)),
            }),
          );
          const mis = misData({ pupils });
          const before = rosterOn(mis, new Date(time));
          const after = rosterOn(mis, new Date(time + minutesLater * 60_000));
          for (const view of before.pupils.values()) {
            // The independent oracle: a leaver exactly from 02:00 London on the leave date.
            const leavesAt = londonInstant(must(view.leavingDate, 'leave date'), 2).getTime();
            expect(view.status).toBe(time >= leavesAt ? 'leaver' : 'active');
            if (view.status === 'leaver') expect(after.pupils.get(view.id)?.status).toBe('leaver');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a new pupil and their contacts appear the day after the start date', () => {
  for (const start of [day('2026-09-03'), day('2026-03-28'), day('2026-10-24'), day('2027-01-05')]) {
    it(`start ${start}: hidden all that day, shown from 02:00 London the next day`, () => {
      const mis = onePupil({ entryDate: start });
      const shownFrom = londonInstant(addDays(start, 1), 2);
      for (const hidden of [londonInstant(start, 9), londonInstant(start, 23), minuteBefore(shownFrom)]) {
        const roster = rosterOn(mis, hidden);
        expect(roster.pupils.has('P1'), hidden.toISOString()).toBe(false);
        expect(roster.contacts.has('C1'), hidden.toISOString()).toBe(false);
      }
      const roster = rosterOn(mis, shownFrom);
      expect(roster.pupils.get('P1')?.status).toBe('active');
      expect(roster.contacts.get('C1')?.pupilIds).toEqual(['P1']);
      expect(rosterOn(mis, start).pupils.has('P1')).toBe(false);
      expect(rosterOn(mis, addDays(start, 1)).pupils.has('P1')).toBe(true);
    });
  }
});

describe('a class change appears the day after it takes effect', () => {
  /** Moves from Oak to Elm: the last day in Oak is `lastInOak`, Elm from the next day. */
  function mover(lastInOak: IsoDate): MisData {
    return misData({
      pupils: [pupil('P1', { forename: 'Alfie', surname: 'Daley' })],
      groups: CLASSES,
      memberships: [
        { groupId: 'Y4', pupilId: 'P1', startDate: day('2025-09-01'), endDate: null },
        { groupId: 'OAK', pupilId: 'P1', startDate: day('2025-09-01'), endDate: lastInOak },
        { groupId: 'ELM', pupilId: 'P1', startDate: addDays(lastInOak, 1), endDate: null },
      ],
    });
  }

  function classAt(mis: MisData, when: Date | IsoDate): string {
    const roster = rosterOn(mis, when);
    const oak = must(roster.groups.get('OAK'), 'Oak').pupilIds.includes('P1');
    const elm = must(roster.groups.get('ELM'), 'Elm').pupilIds.includes('P1');
    // Always in exactly one class, and the pupil's own record agrees with the class lists.
    expect(oak !== elm).toBe(true);
    const shown = oak ? 'OAK' : 'ELM';
    expect(roster.pupils.get('P1')?.registrationGroupId).toBe(shown);
    expect(must(roster.groups.get('Y4'), 'Year 4').pupilIds).toEqual(['P1']);
    return shown;
  }

  for (const lastInOak of [day('2026-11-06'), day('2026-03-27'), day('2026-10-23')]) {
    it(`Oak until ${lastInOak}, Elm from the next day: the move shows the day after that`, () => {
      const mis = mover(lastInOak);
      const elmStarts = addDays(lastInOak, 1);
      const moveShows = londonInstant(addDays(elmStarts, 1), 2);
      expect(classAt(mis, lastInOak)).toBe('OAK');
      expect(classAt(mis, elmStarts)).toBe('OAK');
      expect(classAt(mis, londonInstant(elmStarts, 15))).toBe('OAK');
      expect(classAt(mis, minuteBefore(moveShows))).toBe('OAK');
      expect(classAt(mis, moveShows)).toBe('ELM');
      expect(classAt(mis, addDays(elmStarts, 1))).toBe('ELM');
      expect(classAt(mis, addDays(elmStarts, 30))).toBe('ELM');
    });
  }

  it('at every instant the pupil is in one class, Elm exactly from 02:00 London the day after Elm starts', () => {
    fc.assert(
      fc.property(arbInstant, fc.integer({ min: -3, max: 3 }), (time, offset) => {
        const lastInOak = addDays(effectiveDay(new Date(time)), offset);
        const mis = mover(lastInOak);
        const moveShows = londonInstant(addDays(lastInOak, 2), 2).getTime();
        expect(classAt(mis, new Date(time))).toBe(time >= moveShows ? 'ELM' : 'OAK');
      }),
      { numRuns: 200 },
    );
  });
});

describe('contacts', () => {
  it('a contact becomes a leaver only when every linked child has left', () => {
    const mis = misData({
      pupils: [
        pupil('P1', { forename: 'Poppy', leavingDate: day('2027-07-23') }),
        pupil('P2', { forename: 'Alfie', leavingDate: day('2027-12-17') }),
      ],
      contacts: [contact('C1'), contact('C2')],
      links: [link('P1', 'C1'), link('P1', 'C2'), link('P2', 'C2')],
    });
    const summer = rosterOn(mis, day('2027-07-23'));
    expect(summer.contacts.get('C1')?.status).toBe('leaver');
    expect(summer.contacts.get('C2')?.status).toBe('active');
    const winter = rosterOn(mis, day('2027-12-17'));
    expect(winter.contacts.get('C2')?.status).toBe('leaver');
  });

  it('every visible contact is a leaver exactly when every linked child has left (joiners stay)', () => {
    fc.assert(
      fc.property(arbSmallMis, arbViewDay, (mis, viewDay) => {
        const roster = rosterOn(mis, viewDay);
        for (const misContact of mis.contacts) {
          const linked = mis.links
            .filter((each) => each.contactId === misContact.id)
            .map((each) => each.pupilId);
          const onRoll = linked.filter(
            (id) =>
              must(
                mis.pupils.find((p) => p.id === id),
                id,
              ).entryDate < viewDay,
          );
          const view = roster.contacts.get(misContact.id);
          // A contact appears with their first child on roll, and lists exactly those children.
          expect(view === undefined).toBe(onRoll.length === 0);
          if (!view) continue;
          expect([...view.pupilIds].sort()).toEqual([...new Set(onRoll)].sort());
          // Every linked child counts, including those admitted but not yet started.
          const everyChildLeft = linked.every((id) => {
            const leavingDate = must(
              mis.pupils.find((p) => p.id === id),
              id,
            ).leavingDate;
            return leavingDate !== null && leavingDate <= viewDay;
          });
          expect(view.status).toBe(everyChildLeft ? 'leaver' : 'active');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a contact whose other child is admitted but not yet started is not a leaver (their family stays)', () => {
    // Expected behaviour from docs/architecture.md (where each rule lives) and the seed: "A contact becomes a leaver only when every linked child
    // is a leaver". Rosa is in the MIS, linked to Sam, starting in January: Sam is not a leaver.
    const mis = misData({
      pupils: [
        pupil('P1', { forename: 'Ben', leavingDate: day('2026-10-23') }),
        pupil('P2', { forename: 'Rosa', entryDate: day('2027-01-05') }),
      ],
      contacts: [contact('C1', { forename: 'Sam' })],
      links: [link('P1', 'C1'), link('P2', 'C1')],
    });
    const roster = rosterOn(mis, day('2026-11-28'));
    expect(roster.pupils.has('P2')).toBe(false);
    expect(roster.contacts.get('C1')?.status).toBe('active');
  });

  it('counts active pupils and contacts and registration classes', () => {
    const mis = misData({
      pupils: [
        pupil('P1'),
        pupil('P2', { leavingDate: day('2026-10-23') }),
        pupil('P3', { entryDate: day('2027-01-05') }),
      ],
      contacts: [contact('C1'), contact('C2'), contact('C3')],
      links: [link('P1', 'C1'), link('P2', 'C2'), link('P3', 'C2'), link('P3', 'C3')],
      groups: CLASSES,
    });
    // C2's child P2 has left but P3 joins in January, so C2 stays; C3 appears only when P3 starts.
    expect(rosterCounts(rosterOn(mis, day('2026-11-28')))).toEqual({ pupils: 1, contacts: 2, classes: 2 });
  });
});
