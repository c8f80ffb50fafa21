import type { MisData } from '@schoolping/shared';

/**
 * The school's data as Xporter on Demand would send it: XoD's dataset names, field names and
 * conventions ("Year  4" names, 0/1 flags, string ids). Used by tests and benchmarks to feed the
 * real ingest path from the demo school.
 */
export function toXporterPayload(mis: MisData): Record<string, unknown[]> {
  const kindOf = new Map(mis.groups.map((group) => [group.id, group.kind]));
  const nameOf = new Map(mis.groups.map((group) => [group.id, group.name]));
  const current = (kind: string, pupilId: string): string | null =>
    mis.memberships.find((m) => m.pupilId === pupilId && m.endDate === null && kindOf.get(m.groupId) === kind)
      ?.groupId ?? null;
  const named = (id: string | null): string | null => (id === null ? null : (nameOf.get(id) ?? null));
  const typeOf = { year: 'YearGrp', registration: 'RegGrp', custom: 'TeachingGrp' } as const;
  return {
    SchoolInfo: [{ Id: '1', Name: mis.school.name, EstabId: mis.school.estab }],
    Students: mis.pupils.map((pupil) => {
      const yearGroupId = current('year', pupil.id);
      const regGroupId = current('registration', pupil.id);
      return {
        Id: pupil.id,
        Forename: pupil.forename,
        Surname: pupil.surname,
        DateofBirth: pupil.dateOfBirth,
        EntryDate: pupil.entryDate,
        LeavingDate: pupil.leavingDate,
        UPN: pupil.upn,
        YearGroupId: yearGroupId,
        YearGroup: named(yearGroupId),
        RegGroupId: regGroupId,
        RegGroup: named(regGroupId),
        Boarder: 0,
      };
    }),
    Contacts: mis.contacts.map((contact) => ({
      Id: contact.id,
      Title: contact.title,
      Forename: contact.forename,
      Surname: contact.surname,
      HomeEmail: contact.email,
      WorkEmail: null,
      MobilePhone: contact.mobile,
    })),
    StudentContacts: mis.links.map((link) => ({
      Id: `${link.pupilId}.${link.contactId}`,
      StudentId: link.pupilId,
      ContactId: link.contactId,
      Relationship: link.relationship,
      Priority: link.priority,
      ParResp: link.parentalResponsibility ? 1 : 0,
    })),
    Group: mis.groups.map((group) => ({
      Id: group.id,
      Name: group.name,
      Type: typeOf[group.kind],
      NumStudents: 0,
    })),
    StudentMembers: [],
    Staff: mis.staff.map((member) => ({
      Id: member.id,
      Title: member.title,
      Forename: member.forename,
      Surname: member.surname,
      WorkEmail: member.email,
      EmploymentEnd: member.leavingDate,
      IsTeacher: 1,
    })),
  };
}
