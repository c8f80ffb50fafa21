import { addDays, type IsoDate } from '../dates.ts';
import { pence } from '../money.ts';
import type { MisContact, MisData, MisLink, MisMembership, MisPupil, MisStaff } from '../roster/types.ts';
import { makeUpn } from '../upn.ts';
import type { LedgerEntry, Wallet, WalletBook } from '../wallet/types.ts';
import { openWallet } from '../wallet/wallet.ts';
import { ContactFactory, familyShape, linksFor, type ContactDraft } from './families.ts';
import { dateIn, schoolLayout, type DemoSize, type SchoolLayout, type YearLayout } from './layout.ts';
import { BOYS, GIRLS, SURNAMES } from './names.ts';
import { SeededRandom } from './random.ts';
import { demoStaff } from './staff.ts';
import { demoLedger } from './wallets.ts';

export interface DemoOptions {
  readonly seed?: number;
  readonly size?: DemoSize;
  /** The September the current academic year began. */
  readonly academicYear?: number;
}

export interface DemoSchool {
  readonly mis: MisData;
  readonly book: WalletBook;
  readonly layout: SchoolLayout;
}

/** The demo school every test, benchmark and first run starts from. Same options, same school. */
export function demoSchool(options: DemoOptions = {}): DemoSchool {
  const builder = new SchoolBuilder(options);
  builder.addSeedFamily();
  builder.addFamilies();
  builder.addMidYearLeavers();
  builder.addJoiners();
  return builder.finish();
}

class SchoolBuilder {
  readonly #random: SeededRandom;
  readonly #layout: SchoolLayout;
  readonly #contacts: ContactFactory;
  readonly #capacity: Map<YearLayout, number>;
  readonly #classSizes = new Map<string, number>();
  readonly #pupils: MisPupil[] = [];
  readonly #contactList: MisContact[] = [];
  readonly #links: MisLink[] = [];
  readonly #memberships: MisMembership[] = [];
  #nextPupil = 1000;
  readonly #upnSerials = new Map<number, number>();
  #hasCourtOrder = false;

  constructor(options: DemoOptions) {
    this.#random = new SeededRandom(options.seed ?? 2026);
    this.#layout = schoolLayout(options.size ?? 'primary', options.academicYear ?? 2026);
    this.#contacts = new ContactFactory(this.#random, 5000);
    const perYear = Math.floor(this.#layout.pupilCount / this.#layout.years.length);
    this.#capacity = new Map(this.#layout.years.map((year) => [year, perYear]));
  }

  get #finalYear(): YearLayout {
    const year = this.#layout.years.at(-1);
    if (!year) throw new Error('a school has at least one year');
    return year;
  }

  /** The seed's case: Poppy Daley leaves from Year 6; her father also has Alfie, who stays. */
  addSeedFamily(): void {
    const karen = this.#named(this.#contacts.person('Daley', true, 'Mother', true), 'Karen');
    const mark = this.#named(this.#contacts.person('Daley', false, 'Father', true), 'Mark');
    const jess = this.#named(this.#contacts.person('Turner', true, 'Mother', true), 'Jess');
    const younger = this.#layout.years[Math.min(2, this.#layout.years.length - 2)] ?? this.#finalYear;
    this.#addChild('Daley', 'Poppy', this.#finalYear, [karen, mark]);
    this.#addChild('Daley', 'Alfie', younger, [mark, jess]);
  }

  addFamilies(): void {
    const random = this.#random;
    while (this.#openYears().length > 0) {
      const surname = random.pick(SURNAMES);
      const shape = familyShape(random);
      let drafts = this.#contacts.family(surname, shape);
      if (shape === 'separated' && !this.#hasCourtOrder) {
        // A court order: this father keeps his link in the MIS but must never be contacted.
        drafts = drafts.map((draft) =>
          draft.relationship === 'Father'
            ? { ...draft, contact: { ...draft.contact, doNotContact: true } }
            : draft,
        );
        this.#hasCourtOrder = true;
      }
      const childCount = random.chance(0.66) ? 1 : random.chance(0.8) ? 2 : 3;
      const years = this.#pickYears(childCount);
      for (const year of years) this.#addChild(surname, null, year, drafts);
    }
  }

  /** A few children who left this autumn: their families' wallets can be closed now. */
  addMidYearLeavers(): void {
    const { academicYear } = this.#layout;
    const count = Math.max(4, Math.round(this.#pupils.length / 70));
    for (let index = 0; index < count; index++) {
      const position = this.#random.int(0, this.#pupils.length - 1);
      const pupil = this.#pupils[position];
      if (!pupil || pupil.leavingDate) continue;
      const leavingDate = dateIn(academicYear, 10, 23 + (index % 2) * 8);
      this.#pupils[position] = { ...pupil, leavingDate };
    }
  }

  /** Children starting after Christmas, most from new families. */
  addJoiners(): void {
    const startDate = dateIn(this.#layout.academicYear + 1, 1, 5);
    const years = this.#layout.years;
    for (let index = 0; index < 4; index++) {
      const year = years[(index * 2 + 1) % years.length] ?? this.#finalYear;
      const surname = this.#random.pick(SURNAMES);
      const existing = index === 3 ? this.#existingFamilyOf(this.#pupils[7]) : null;
      const drafts = existing ?? this.#contacts.family(surname, 'couple');
      this.#addChild(
        existing ? (this.#pupils[7]?.surname ?? surname) : surname,
        null,
        year,
        drafts,
        startDate,
      );
    }
  }

  finish(): DemoSchool {
    const layout = this.#layout;
    const mis: MisData = {
      school: { name: layout.name, estab: layout.estab },
      pupils: this.#pupils,
      contacts: this.#contactList,
      links: this.#links,
      groups: layout.years.flatMap((year) => [year.group, ...year.classes]),
      memberships: this.#memberships,
      staff: demoStaff(this.#random, layout) satisfies MisStaff[],
    };
    const holders = this.#contactList.filter(
      (contact) =>
        !contact.doNotContact &&
        this.#links.some((link) => link.contactId === contact.id && link.parentalResponsibility),
    );
    const wallets: Record<string, Wallet> = {};
    for (const contact of holders) wallets[`W${contact.id}`] = openWallet(`W${contact.id}`, contact.id);
    const entries = demoLedger(this.#random, Object.keys(wallets), layout.academicYear);
    const karen = this.#contactList.find(
      (contact) => contact.forename === 'Karen' && contact.surname === 'Daley',
    );
    if (karen) setBalance(entries, `W${karen.id}`, 1250, layout.academicYear);
    return { mis, book: { wallets, entries }, layout };
  }

  #named(draft: ContactDraft, forename: string): ContactDraft {
    return {
      ...draft,
      contact: {
        ...draft.contact,
        forename,
        email: `${forename.toLowerCase()}.${draft.contact.surname.toLowerCase()}@example.com`,
      },
    };
  }

  #openYears(): YearLayout[] {
    return this.#layout.years.filter((year) => (this.#capacity.get(year) ?? 0) > 0);
  }

  #pickYears(count: number): YearLayout[] {
    const chosen: YearLayout[] = [];
    for (let attempt = 0; attempt < 12 && chosen.length < count; attempt++) {
      const year = this.#random.pick(this.#openYears());
      if (!chosen.includes(year) && (this.#capacity.get(year) ?? 0) > 0) chosen.push(year);
    }
    return chosen;
  }

  #existingFamilyOf(pupil: MisPupil | undefined): ContactDraft[] | null {
    if (!pupil) return null;
    const links = this.#links.filter((link) => link.pupilId === pupil.id);
    return links.flatMap((link) => {
      const contact = this.#contactList.find((candidate) => candidate.id === link.contactId);
      return contact
        ? [{ contact, relationship: link.relationship, parentalResponsibility: link.parentalResponsibility }]
        : [];
    });
  }

  #addChild(
    surname: string,
    forename: string | null,
    year: YearLayout,
    drafts: readonly ContactDraft[],
    joinDate?: IsoDate,
  ): void {
    const random = this.#random;
    const { academicYear, estab } = this.#layout;
    const firstNc = this.#layout.years[0]?.nc ?? 0;
    const isGirl = forename ? forename === 'Poppy' : random.chance(0.5);
    const cohortStart = academicYear - (year.nc - firstNc);
    const entryDate =
      joinDate ??
      (random.chance(0.06)
        ? dateIn(cohortStart + 1, random.int(1, 6), random.int(2, 27))
        : dateIn(cohortStart, 9, 3));
    const birthYear = academicYear - year.nc - 5;
    const id = String(this.#nextPupil++);
    const pupil: MisPupil = {
      id,
      upn: this.#nextUpn(Number(estab.slice(3)), Number(entryDate.slice(0, 4))),
      forename: forename ?? random.pick(isGirl ? GIRLS : BOYS),
      surname,
      dateOfBirth: addDays(dateIn(birthYear, 9, 1), random.int(0, 364)),
      entryDate,
      leavingDate: year === this.#finalYear ? dateIn(academicYear + 1, 7, 23) : null,
    };
    this.#pupils.push(pupil);
    this.#capacity.set(year, (this.#capacity.get(year) ?? 0) - 1);
    for (const draft of drafts) {
      if (!this.#contactList.some((contact) => contact.id === draft.contact.id))
        this.#contactList.push(draft.contact);
    }
    this.#links.push(...linksFor(id, drafts));
    this.#addMemberships(pupil, year);
  }

  /** A UPN's serial counts within its year of allocation, so it never repeats in a school. */
  #nextUpn(estab: number, year: number): string {
    const serial = (this.#upnSerials.get(year) ?? 0) + 1;
    if (serial > 999) throw new RangeError(`More than 999 UPNs allocated in ${year}`);
    this.#upnSerials.set(year, serial);
    return makeUpn(801, estab, year, serial);
  }

  #addMemberships(pupil: MisPupil, year: YearLayout): void {
    const smallest = year.classes.reduce((best, group) =>
      (this.#classSizes.get(group.id) ?? 0) < (this.#classSizes.get(best.id) ?? 0) ? group : best,
    );
    this.#classSizes.set(smallest.id, (this.#classSizes.get(smallest.id) ?? 0) + 1);
    const septemberStart = dateIn(this.#layout.academicYear, 9, 1);
    const startDate = pupil.entryDate > septemberStart ? pupil.entryDate : septemberStart;
    for (const group of [year.group, smallest]) {
      this.#memberships.push({ groupId: group.id, pupilId: pupil.id, startDate, endDate: null });
    }
  }
}

/** Make a wallet hold exactly `target` pence with one more top-up or charge. */
function setBalance(
  entries: Record<string, LedgerEntry[]>,
  walletId: string,
  target: number,
  academicYear: number,
): void {
  const list = entries[walletId] ?? [];
  const balance = list.reduce((sum, entry) => sum + entry.amount, 0);
  const amount = pence(target - balance);
  if (amount === 0) return;
  list.push({
    id: `${walletId}-topup-final`,
    walletId,
    kind: amount > 0 ? 'top-up' : 'charge',
    amount,
    at: `${academicYear}-11-02T08:15:00.000Z`,
    description: amount > 0 ? 'Online top-up' : 'School dinners',
    flag: null,
  });
  entries[walletId] = list;
}
