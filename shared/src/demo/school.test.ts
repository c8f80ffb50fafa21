import { describe, expect, it } from 'vitest';
import { rosterOn } from '../roster/roster-on.ts';
import type { MisContact } from '../roster/types.ts';
import { day, must } from '../../test/arbitraries.ts';
import { isValidUpn } from '../upn.ts';
import { canClose, walletBalance } from '../wallet/wallet.ts';
import { demoSchool } from './school.ts';

const primary = demoSchool();
const secondary = demoSchool({ size: 'secondary' });

function contactNamed(forename: string, surname: string): MisContact {
  return must(
    primary.mis.contacts.find((each) => each.forename === forename && each.surname === surname),
    `${forename} ${surname}`,
  );
}

describe('demoSchool', () => {
  it('is deterministic: the same options build the same school', () => {
    expect(demoSchool()).toEqual(primary);
    expect(demoSchool({ seed: 7, academicYear: 2025 })).toEqual(demoSchool({ seed: 7, academicYear: 2025 }));
    expect(demoSchool({ seed: 7 })).not.toEqual(primary);
  });

  it('is a primary school of about 420 pupils, 700 contacts and 14 classes', () => {
    expect(primary.mis.pupils.length).toBeGreaterThanOrEqual(400);
    expect(primary.mis.pupils.length).toBeLessThanOrEqual(440);
    expect(primary.mis.contacts.length).toBeGreaterThanOrEqual(600);
    expect(primary.mis.contacts.length).toBeLessThanOrEqual(800);
    expect(primary.mis.groups.filter((group) => group.kind === 'registration')).toHaveLength(14);
    expect(primary.mis.groups.filter((group) => group.kind === 'year')).toHaveLength(7);
  });

  it('gives every pupil a valid UPN', () => {
    for (const school of [primary, secondary]) {
      for (const pupil of school.mis.pupils) expect(isValidUpn(pupil.upn ?? ''), pupil.id).toBe(true);
    }
  });

  it('gives every pupil a different UPN, in the primary and in the secondary', () => {
    // A UPN identifies one pupil for life (DfE), so two pupils must never share one.
    for (const school of [primary, secondary]) {
      const upns = school.mis.pupils.map((pupil) => pupil.upn);
      const repeated = upns.filter((upn, index) => upns.indexOf(upn) !== index);
      expect(repeated, school.layout.name).toEqual([]);
    }
  });

  it('keeps its ids unique and its links pointing at real people', () => {
    const pupilIds = new Set(primary.mis.pupils.map((pupil) => pupil.id));
    const contactIds = new Set(primary.mis.contacts.map((each) => each.id));
    expect(pupilIds.size).toBe(primary.mis.pupils.length);
    expect(contactIds.size).toBe(primary.mis.contacts.length);
    for (const link of primary.mis.links) {
      expect(pupilIds.has(link.pupilId)).toBe(true);
      expect(contactIds.has(link.contactId)).toBe(true);
    }
    const entryIds = Object.values(primary.book.entries)
      .flat()
      .map((entry) => entry.id);
    expect(new Set(entryIds).size).toBe(entryIds.length);
  });

  it('has the awkward contacts real data has: a court order and people without email', () => {
    const blocked = primary.mis.contacts.filter((each) => each.doNotContact);
    expect(blocked.length).toBeGreaterThanOrEqual(1);
    for (const person of blocked) {
      expect(primary.mis.links.some((link) => link.contactId === person.id)).toBe(true);
      // Nobody the school may not contact holds a wallet.
      expect(Object.values(primary.book.wallets).some((wallet) => wallet.contactId === person.id)).toBe(
        false,
      );
    }
    expect(primary.mis.contacts.some((each) => each.email === null)).toBe(true);
  });

  it('has Year 6 leaving in July, and joiners who start after 28 November 2026', () => {
    const finalYear = must(primary.layout.years.at(-1), 'final year');
    expect(finalYear.nc).toBe(6);
    const year6 = new Set(
      primary.mis.memberships
        .filter((each) => each.groupId === finalYear.group.id)
        .map((each) => each.pupilId),
    );
    expect(year6.size).toBeGreaterThan(40);
    for (const pupil of primary.mis.pupils.filter((each) => year6.has(each.id))) {
      expect(pupil.leavingDate, pupil.id).toMatch(/^2027-07-\d\d$/);
    }
    const joiners = primary.mis.pupils.filter((pupil) => pupil.entryDate > '2026-11-28');
    expect(joiners.length).toBeGreaterThanOrEqual(4);
    const roster = rosterOn(primary.mis, day('2026-11-28'));
    for (const joiner of joiners) expect(roster.pupils.has(joiner.id)).toBe(false);
  });

  it("on 23 July 2027 Karen Daley's wallet can close, but not Mark Daley's: Alfie stays", () => {
    const karen = contactNamed('Karen', 'Daley');
    const mark = contactNamed('Mark', 'Daley');
    const walletOf = (contactId: string) =>
      must(
        Object.values(primary.book.wallets).find((wallet) => wallet.contactId === contactId),
        `wallet of ${contactId}`,
      );
    const leaveDay = rosterOn(primary.mis, day('2027-07-23'));
    const poppy = must(
      [...leaveDay.pupils.values()].find((each) => each.forename === 'Poppy' && each.surname === 'Daley'),
      'Poppy',
    );
    expect(poppy.status).toBe('leaver');
    expect(canClose(walletOf(karen.id), leaveDay)).toEqual({ ok: true });
    const markCheck = canClose(walletOf(mark.id), leaveDay);
    expect(markCheck.ok).toBe(false);
    if (!markCheck.ok) {
      expect(markCheck.reason).toBe('child-staying');
      expect(markCheck.sentence).toContain('Alfie Daley');
    }
    // The day before, Poppy is still on roll and Karen's wallet stays open too.
    expect(canClose(walletOf(karen.id), rosterOn(primary.mis, day('2027-07-22'))).ok).toBe(false);
    expect(walletBalance(primary.book, walletOf(karen.id).id)).toBe(1250);
  });

  it('builds a secondary school of 2000 pupils, give or take ten', () => {
    expect(Math.abs(secondary.mis.pupils.length - 2000)).toBeLessThanOrEqual(10);
    expect(secondary.mis.groups.filter((group) => group.kind === 'year')).toHaveLength(5);
  });
});
