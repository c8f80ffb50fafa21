import type { MisContact, MisLink } from '../roster/types.ts';
import { MEN, SURNAMES, WOMEN } from './names.ts';
import type { SeededRandom } from './random.ts';

/*
 * Contacts shaped like real families: two parents at one address, single parents with a
 * grandparent as the second contact, separated parents in two households, step-parents without
 * parental responsibility, and some people the school has no email or no mobile for.
 */

export interface ContactDraft {
  readonly contact: MisContact;
  readonly relationship: string;
  readonly parentalResponsibility: boolean;
}

export type FamilyShape = 'couple' | 'single' | 'separated' | 'step';

export function familyShape(random: SeededRandom): FamilyShape {
  const roll = random.next();
  if (roll < 0.58) return 'couple';
  if (roll < 0.76) return 'single';
  if (roll < 0.9) return 'separated';
  return 'step';
}

export class ContactFactory {
  #next: number;
  readonly #random: SeededRandom;

  constructor(random: SeededRandom, firstId: number) {
    this.#random = random;
    this.#next = firstId;
  }

  person(
    surname: string,
    isWoman: boolean,
    relationship: string,
    parentalResponsibility: boolean,
  ): ContactDraft {
    const random = this.#random;
    const forename = random.pick(isWoman ? WOMEN : MEN);
    const id = String(this.#next++);
    const hasEmail = !random.chance(0.07);
    // Nearly everyone has a way to be reached; a handful have neither, as in real MIS data.
    const hasMobile = hasEmail ? !random.chance(0.05) : !random.chance(0.1);
    const handle = `${forename}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '');
    const contact: MisContact = {
      id,
      title: isWoman ? random.pick(['Mrs', 'Ms', 'Miss']) : 'Mr',
      forename,
      surname,
      email: hasEmail ? `${handle}${id.slice(-2)}@example.com` : null,
      mobile: hasMobile ? `07700 9${String(random.int(0, 99_999)).padStart(5, '0')}` : null,
      doNotContact: false,
    };
    return { contact, relationship, parentalResponsibility };
  }

  /** The contacts of one family, first contact first. */
  family(surname: string, shape: FamilyShape): ContactDraft[] {
    const random = this.#random;
    const motherFirst = random.chance(0.7);
    const mother = this.person(surname, true, 'Mother', true);
    const fatherSurname = shape === 'separated' && random.chance(0.4) ? random.pick(SURNAMES) : surname;
    const father = this.person(fatherSurname, false, 'Father', true);
    const parents = motherFirst ? [mother, father] : [father, mother];
    switch (shape) {
      case 'couple':
        return random.chance(0.35) ? [...parents, this.#grandparent()] : parents;
      case 'separated':
        return random.chance(0.3) ? [...parents, this.#stepParent(surname, !motherFirst)] : parents;
      case 'single': {
        const single = parents[0] ?? mother;
        return random.chance(0.7) ? [single, this.#grandparent()] : [single];
      }
      case 'step':
        return [parents[0] ?? mother, this.#stepParent(surname, !motherFirst)];
    }
  }

  #grandparent(): ContactDraft {
    const isWoman = this.#random.chance(0.6);
    return this.person(this.#random.pick(SURNAMES), isWoman, isWoman ? 'Grandmother' : 'Grandfather', false);
  }

  #stepParent(surname: string, isWoman: boolean): ContactDraft {
    return this.person(surname, isWoman, isWoman ? 'Step-mother' : 'Step-father', false);
  }
}

export function linksFor(pupilId: string, contacts: readonly ContactDraft[]): MisLink[] {
  return contacts.map((draft, index) => ({
    pupilId,
    contactId: draft.contact.id,
    relationship: draft.relationship,
    priority: index + 1,
    parentalResponsibility: draft.parentalResponsibility,
  }));
}
