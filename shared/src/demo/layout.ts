import { isoDate, type IsoDate } from '../dates.ts';
import type { MisGroup } from '../roster/types.ts';

/** The shape of a generated school: its years, classes and calendar. */
export interface SchoolLayout {
  readonly name: string;
  readonly estab: string;
  readonly emailDomain: string;
  readonly years: readonly YearLayout[];
  /** The September the current academic year started. */
  readonly academicYear: number;
  readonly pupilCount: number;
}

export interface YearLayout {
  /** National Curriculum year; Reception is 0. */
  readonly nc: number;
  readonly group: MisGroup;
  readonly classes: readonly MisGroup[];
}

const TREES = [
  'Ash',
  'Birch',
  'Cedar',
  'Elm',
  'Hazel',
  'Larch',
  'Maple',
  'Oak',
  'Pine',
  'Rowan',
  'Willow',
  'Yew',
];

export type DemoSize = 'primary' | 'secondary';

export function schoolLayout(size: DemoSize, academicYear: number): SchoolLayout {
  const primary = size === 'primary';
  const ncYears = primary ? [0, 1, 2, 3, 4, 5, 6] : [7, 8, 9, 10, 11];
  const classesPerYear = primary ? 2 : 14;
  let groupNumber = 100;
  const years = ncYears.map((nc): YearLayout => {
    const label = nc === 0 ? 'Reception' : `Year ${nc}`;
    const short = nc === 0 ? 'R' : String(nc);
    // XoD spells year groups "Year  4", with two spaces; the demo follows the MIS.
    const group: MisGroup = { id: String(groupNumber++), name: label.replace(' ', '  '), kind: 'year' };
    const classes = Array.from({ length: classesPerYear }, (_, index): MisGroup => {
      const name = primary
        ? `${short} ${TREES[(nc * 2 + index) % TREES.length]}`
        : `${short}${'ABCDEFGHJKLMNP'[index]}`;
      return { id: String(groupNumber++), name, kind: 'registration' };
    });
    return { nc, group, classes };
  });
  return {
    name: primary ? 'Brookfield Primary School' : 'Brookfield Academy',
    estab: primary ? '8012000' : '8014001',
    emailDomain: primary ? 'brookfield-primary.example.org' : 'brookfield-academy.example.org',
    years,
    academicYear,
    pupilCount: primary ? 420 : 2000,
  };
}

/** The academic year (by its September) that a date falls in. */
export function academicYearOf(date: IsoDate): number {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return month >= 9 ? year : year - 1;
}

export function dateIn(year: number, month: number, day: number): IsoDate {
  return isoDate(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}
