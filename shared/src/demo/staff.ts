import type { MisStaff } from '../roster/types.ts';
import { dateIn, type SchoolLayout } from './layout.ts';
import { MEN, SURNAMES, WOMEN } from './names.ts';
import type { SeededRandom } from './random.ts';

/** Teachers for every class, support staff, the office, and one teacher who left this term. */
export function demoStaff(random: SeededRandom, layout: SchoolLayout): MisStaff[] {
  const classCount = layout.years.reduce((total, year) => total + year.classes.length, 0);
  const roles = [
    'Headteacher',
    'Deputy Headteacher',
    'Office Manager',
    'School Business Manager',
    ...Array.from({ length: classCount }, () => 'Class Teacher'),
    ...Array.from({ length: Math.ceil(classCount / 2) }, () => 'Teaching Assistant'),
  ];
  return roles.map((_, index): MisStaff => {
    const isWoman = random.chance(0.75);
    const forename = random.pick(isWoman ? WOMEN : MEN);
    const surname = random.pick(SURNAMES);
    const handle = `${forename.charAt(0)}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '');
    return {
      id: String(9000 + index),
      title: isWoman ? random.pick(['Mrs', 'Ms', 'Miss']) : 'Mr',
      forename,
      surname,
      email: `${handle}${index}@${layout.emailDomain}`,
      leavingDate: index === roles.length - 1 ? dateIn(layout.academicYear, 10, 23) : null,
    };
  });
}
