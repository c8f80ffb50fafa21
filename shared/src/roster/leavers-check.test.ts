import { describe, expect, it } from 'vitest';
import { isoDate } from '../dates.ts';
import { contact, link, misData, pupil } from '../../test/arbitraries.ts';
import { leaversCheck } from './leavers-check.ts';

const day = isoDate;

// Ben leaves in July; his sister Rosa stays. Sam is parent to both, Kim only to Ben.
const mis = misData({
  pupils: [
    pupil('P1', { forename: 'Ben', leavingDate: day('2027-07-23') }),
    pupil('P2', { forename: 'Rosa' }),
    pupil('P3', { forename: 'Old', leavingDate: day('2026-07-22') }),
  ],
  contacts: [contact('C1', { forename: 'Sam' }), contact('C2', { forename: 'Kim' })],
  links: [link('P1', 'C1'), link('P2', 'C1'), link('P1', 'C2')],
});

describe('the leavers check', () => {
  it('lists this academic year’s leavers with each contact’s expected status', () => {
    const report = leaversCheck(mis, day('2027-07-23'), () => null);
    expect(report.pupils.map((row) => row.misId)).toEqual(['P1']);
    const [ben] = report.pupils;
    expect(ben?.contacts.map((c) => [c.misId, c.expected, c.flag])).toEqual([
      ['C1', 'active', null],
      ['C2', 'leaver', null],
    ]);
    expect(report.flagged).toBe(0);
  });

  it('flags a parent still active though every child left, and one marked leaver while a sibling stays', () => {
    const applied = (kind: 'pupil' | 'contact', id: string) => {
      if (kind === 'pupil') return 'leaver' as const;
      return id === 'C1' ? ('leaver' as const) : ('active' as const);
    };
    const report = leaversCheck(mis, day('2027-07-23'), applied);
    const flags = report.pupils[0]?.contacts.map((c) => [c.misId, c.flag]);
    expect(flags).toEqual([
      ['C1', 'parent-marked-leaver-while-sibling-stays'],
      ['C2', 'parent-still-active'],
    ]);
    expect(report.flagged).toBe(2);
  });

  it('flags a pupil the server still has as active', () => {
    const report = leaversCheck(mis, day('2027-07-23'), (kind) => (kind === 'pupil' ? 'active' : null));
    expect(report.pupils[0]?.flag).toBe('pupil-still-active');
  });

  it('does not list a leaver whose date has not come', () => {
    expect(leaversCheck(mis, day('2027-07-22'), () => null).pupils).toEqual([]);
  });
});
