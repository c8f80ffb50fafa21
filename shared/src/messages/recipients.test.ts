import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Audience } from './audience.ts';
import { rosterOn } from '../roster/roster-on.ts';
import type { MisGroup, MisMembership } from '../roster/types.ts';
import {
  arbSmallMis,
  arbViewDay,
  contact,
  day,
  link,
  misData,
  pupil,
  SMALL_GROUPS,
} from '../../test/arbitraries.ts';
import { resolveRecipients, type ContactPolicy } from './recipients.ts';

const CLASS: MisGroup = { id: 'G1', name: '2 Hazel', kind: 'registration' };
const TODAY = day('2026-11-28');

function member(pupilId: string): MisMembership {
  return { groupId: CLASS.id, pupilId, startDate: day('2026-09-01'), endDate: null };
}

/*
 * A class of four: Mum has three children in it; Dad (no parental responsibility, a step-parent)
 * and Gran (second contact, no PR) are linked too; Eve's father is under a court order; Zak's only
 * contact is a grandparent without parental responsibility.
 */
const family = misData({
  pupils: [
    pupil('P1'),
    pupil('P2'),
    pupil('P3'),
    pupil('P4', { forename: 'Eve' }),
    pupil('P5', { forename: 'Zak' }),
  ],
  contacts: [
    contact('MUM'),
    contact('STEP'),
    contact('GRAN'),
    contact('EVEMUM'),
    contact('EVEDAD', { doNotContact: true }),
    contact('ZAKGRAN'),
  ],
  links: [
    link('P1', 'MUM'),
    link('P2', 'MUM'),
    link('P3', 'MUM'),
    // The MIS can hold the same person twice for one child (here also as "Carer").
    link('P1', 'MUM', { relationship: 'Carer', priority: 2 }),
    link('P1', 'STEP', { priority: 2, parentalResponsibility: false }),
    link('P2', 'GRAN', { priority: 3, parentalResponsibility: false }),
    link('P4', 'EVEDAD', { priority: 1 }),
    link('P4', 'EVEMUM', { priority: 2 }),
    link('P5', 'ZAKGRAN', { parentalResponsibility: false }),
  ],
  groups: [CLASS],
  memberships: ['P1', 'P2', 'P3', 'P4', 'P5'].map(member),
});
const roster = rosterOn(family, TODAY);
const toClass: Audience = { kind: 'groups', groupIds: [CLASS.id] };
const STRICT: ContactPolicy = { parentalResponsibility: 'strict', maxPriority: 99 };
const ANY: ContactPolicy = { parentalResponsibility: 'any', maxPriority: 99 };

describe('resolveRecipients', () => {
  it('says why each pupil reached nobody', () => {
    const alone = misData({
      pupils: [pupil('A1'), pupil('A2'), pupil('A3'), pupil('A4')],
      contacts: [contact('BLOCKED', { doNotContact: true }), contact('NOPR'), contact('FAR')],
      links: [
        link('A2', 'BLOCKED'),
        link('A3', 'NOPR', { parentalResponsibility: false }),
        link('A4', 'FAR', { priority: 3 }),
      ],
      groups: [CLASS],
      memberships: ['A1', 'A2', 'A3', 'A4'].map(member),
    });
    const { unreached, recipients } = resolveRecipients(rosterOn(alone, TODAY), toClass, {
      parentalResponsibility: 'strict',
      maxPriority: 2,
    });
    expect(recipients).toEqual([]);
    expect(unreached).toEqual([
      { pupilId: 'A1', reason: 'no-contact' },
      { pupilId: 'A2', reason: 'do-not-contact' },
      { pupilId: 'A3', reason: 'no-parental-responsibility' },
      { pupilId: 'A4', reason: 'beyond-priority' },
    ]);
  });

  it('sends one copy to a contact however many of their children are in the audience', () => {
    const { recipients } = resolveRecipients(roster, toClass, STRICT);
    const mum = recipients.filter((each) => each.contactId === 'MUM');
    expect(mum).toHaveLength(1);
    expect([...(mum[0]?.pupilIds ?? [])].sort()).toEqual(['P1', 'P2', 'P3']);
    for (const recipient of recipients)
      expect(new Set(recipient.pupilIds).size).toBe(recipient.pupilIds.length);
  });

  it('never includes a do-not-contact contact', () => {
    for (const policy of [STRICT, ANY]) {
      const ids = resolveRecipients(roster, toClass, policy).recipients.map((each) => each.contactId);
      expect(ids).not.toContain('EVEDAD');
      expect(ids).toContain('EVEMUM');
    }
  });

  it('leaves out contacts without parental responsibility under the strict policy, and includes them under any', () => {
    const strict = resolveRecipients(roster, toClass, STRICT).recipients.map((each) => each.contactId);
    expect([...strict].sort()).toEqual(['EVEMUM', 'MUM']);
    const any = resolveRecipients(roster, toClass, ANY).recipients.map((each) => each.contactId);
    expect([...any].sort()).toEqual(['EVEMUM', 'GRAN', 'MUM', 'STEP', 'ZAKGRAN']);
  });

  it('is strict by default', () => {
    const byDefault = resolveRecipients(roster, toClass).recipients.map((each) => each.contactId);
    expect(byDefault).not.toContain('STEP');
    expect(byDefault).not.toContain('ZAKGRAN');
  });

  it('lists pupils nobody allowed can be told about', () => {
    expect(resolveRecipients(roster, toClass, STRICT).unreachablePupilIds).toEqual(['P5']);
    expect(resolveRecipients(roster, toClass, ANY).unreachablePupilIds).toEqual([]);
    // Only first contacts: Eve's first contact is blocked and Zak's has no PR.
    const firstOnly = resolveRecipients(roster, toClass, {
      parentalResponsibility: 'strict',
      maxPriority: 1,
    });
    expect([...firstOnly.unreachablePupilIds].sort()).toEqual(['P4', 'P5']);
  });

  it('keeps to the policy, once per contact, and accounts for every pupil in the audience', () => {
    const arbAudience: fc.Arbitrary<Audience> = fc.oneof(
      fc.constant<Audience>({ kind: 'school' }),
      fc
        .uniqueArray(fc.constantFrom(...SMALL_GROUPS.map((group) => group.id), 'NO-SUCH-GROUP'), {
          minLength: 1,
          maxLength: 3,
        })
        .map((groupIds): Audience => ({ kind: 'groups', groupIds })),
    );
    const arbPolicy: fc.Arbitrary<ContactPolicy> = fc.record({
      parentalResponsibility: fc.constantFrom('strict' as const, 'any' as const),
      maxPriority: fc.integer({ min: 1, max: 3 }),
    });
    fc.assert(
      fc.property(arbSmallMis, arbViewDay, arbAudience, arbPolicy, (mis, viewDay, audience, policy) => {
        const view = rosterOn(mis, viewDay);
        const audiencePupils = new Set(
          audience.kind === 'school'
            ? [...view.pupils.values()].filter((each) => each.status === 'active').map((each) => each.id)
            : audience.groupIds.flatMap((groupId) => view.groups.get(groupId)?.pupilIds ?? []),
        );
        const allowed = (contactId: string, pupilId: string): boolean =>
          mis.links.some(
            (each) =>
              each.contactId === contactId &&
              each.pupilId === pupilId &&
              (policy.parentalResponsibility === 'any' || each.parentalResponsibility) &&
              each.priority <= policy.maxPriority &&
              mis.contacts.some((person) => person.id === contactId && !person.doNotContact),
          );
        const { recipients, unreachablePupilIds } = resolveRecipients(view, audience, policy);
        const contactIds = recipients.map((each) => each.contactId);
        expect(new Set(contactIds).size).toBe(contactIds.length);
        const told = new Set<string>();
        for (const recipient of recipients) {
          expect(recipient.pupilIds.length).toBeGreaterThan(0);
          expect(new Set(recipient.pupilIds).size).toBe(recipient.pupilIds.length);
          for (const pupilId of recipient.pupilIds) {
            expect(audiencePupils.has(pupilId)).toBe(true);
            expect(allowed(recipient.contactId, pupilId)).toBe(true);
            told.add(pupilId);
          }
        }
        // Every allowed contact of an audience pupil hears about that pupil.
        for (const pupilId of audiencePupils) {
          for (const person of mis.contacts) {
            if (!allowed(person.id, pupilId)) continue;
            expect(recipients.find((each) => each.contactId === person.id)?.pupilIds).toContain(pupilId);
          }
        }
        expect([...unreachablePupilIds].sort()).toEqual(
          [...audiencePupils].filter((id) => !told.has(id)).sort(),
        );
      }),
      { numRuns: 200 },
    );
  });
});
