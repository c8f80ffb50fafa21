import { isIsoDate } from '@schoolping/shared';
import { z } from 'zod';

/*
 * XoD records exactly as Groupcall returns them: string ids, 0/1 flags, explicit nulls, and fields
 * left out entirely when the token lacks their scope. Unknown fields are allowed and ignored.
 */

const id = z.string().trim().min(1).max(64);
const text = z.string().max(200);
const optionalText = text.nullish();
const date = z.string().refine(isIsoDate, 'must be a date, YYYY-MM-DD');
const flag = z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1'), z.boolean()]);

export const schoolInfoRecord = z.looseObject({
  Name: text.min(1),
  EstabId: z.string().regex(/^\d{7}$/, 'must be the seven-digit DfE establishment number'),
});

export const studentRecord = z.looseObject({
  Id: id,
  Forename: text.min(1),
  Surname: text.min(1),
  // The recorded samples spell it DateofBirth; Groupcall's documentation says DateOfBirth.
  DateofBirth: date.nullish(),
  DateOfBirth: date.nullish(),
  EntryDate: date,
  LeavingDate: date.nullish(),
  UPN: z.string().max(20).nullish(),
  YearGroupId: id.nullish(),
  YearGroup: text.nullish(),
  RegGroupId: id.nullish(),
  RegGroup: text.nullish(),
});

export const contactRecord = z.looseObject({
  Id: id,
  Title: optionalText,
  Forename: text.min(1),
  Surname: text.min(1),
  HomeEmail: z.string().max(254).nullish(),
  WorkEmail: z.string().max(254).nullish(),
  MobilePhone: z.string().max(40).nullish(),
});

export const studentContactRecord = z.looseObject({
  StudentId: id,
  ContactId: id,
  Relationship: optionalText,
  Priority: z.union([z.number().int().min(0).max(99), z.string().regex(/^\d{1,2}$/)]),
  ParResp: flag.nullish(),
});

export const GROUP_TYPES = ['YearGrp', 'RegGrp', 'TeachingGrp', 'HouseGrp'] as const;

export const groupRecord = z.looseObject({
  Id: id,
  Name: text.min(1),
  Type: z.string().max(40),
});

export const studentMemberRecord = z.looseObject({
  GroupId: id,
  StudentId: id,
});

export const staffRecord = z.looseObject({
  Id: id,
  Title: optionalText,
  Forename: text.min(1),
  Surname: text.min(1),
  WorkEmail: z.string().max(254).nullish(),
  EmploymentEnd: date.nullish(),
});

export type StudentRecord = z.infer<typeof studentRecord>;
export type ContactRecord = z.infer<typeof contactRecord>;
export type StudentContactRecord = z.infer<typeof studentContactRecord>;
export type GroupRecord = z.infer<typeof groupRecord>;
export type StudentMemberRecord = z.infer<typeof studentMemberRecord>;
export type StaffRecord = z.infer<typeof staffRecord>;

/** The datasets a push may carry, under XoD's own names. */
export const DATASETS = {
  SchoolInfo: schoolInfoRecord,
  Students: studentRecord,
  Contacts: contactRecord,
  StudentContacts: studentContactRecord,
  Group: groupRecord,
  StudentMembers: studentMemberRecord,
  Staff: staffRecord,
} as const;
export type DatasetName = keyof typeof DATASETS;
