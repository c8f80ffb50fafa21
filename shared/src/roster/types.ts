import type { IsoDate } from '../dates.ts';

/**
 * The school's MIS data as the server last received it, in the project's own terms. Ingest maps
 * Xporter and OneRoster records onto these shapes; the ids are the MIS's own.
 */

export interface SchoolInfo {
  readonly name: string;
  /** DfE establishment number: LA code and school number, seven digits. */
  readonly estab: string;
}

export interface MisPupil {
  readonly id: string;
  readonly upn: string | null;
  readonly forename: string;
  readonly surname: string;
  /** Absent from some feeds (OneRoster without demographics). */
  readonly dateOfBirth: IsoDate | null;
  readonly entryDate: IsoDate;
  readonly leavingDate: IsoDate | null;
}

export interface MisContact {
  readonly id: string;
  readonly title: string | null;
  readonly forename: string;
  readonly surname: string;
  readonly email: string | null;
  readonly mobile: string | null;
  /** A block recorded at the school (a court order, say); never sent anything. */
  readonly doNotContact: boolean;
}

export interface MisLink {
  readonly pupilId: string;
  readonly contactId: string;
  readonly relationship: string;
  /** 1 is the first contact; a lower number comes first, as in the MIS. */
  readonly priority: number;
  readonly parentalResponsibility: boolean;
}

export const GROUP_KINDS = ['year', 'registration', 'custom'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];

export interface MisGroup {
  readonly id: string;
  readonly name: string;
  readonly kind: GroupKind;
  /**
   * The last day the group existed, when a full feed stopped listing it; absent while it lasts. Like
   * a membership's end, it shows the day after.
   */
  readonly endDate?: IsoDate;
}

export interface MisMembership {
  readonly groupId: string;
  readonly pupilId: string;
  readonly startDate: IsoDate;
  /** The last day in the group, inclusive; null while it lasts. */
  readonly endDate: IsoDate | null;
}

export interface MisStaff {
  readonly id: string;
  readonly title: string | null;
  readonly forename: string;
  readonly surname: string;
  readonly email: string | null;
  readonly leavingDate: IsoDate | null;
}

export interface MisData {
  readonly school: SchoolInfo;
  readonly pupils: readonly MisPupil[];
  readonly contacts: readonly MisContact[];
  readonly links: readonly MisLink[];
  readonly groups: readonly MisGroup[];
  readonly memberships: readonly MisMembership[];
  readonly staff: readonly MisStaff[];
}

export type PersonStatus = 'active' | 'leaver';

export interface PupilView extends MisPupil {
  readonly status: PersonStatus;
  readonly yearGroupId: string | null;
  readonly registrationGroupId: string | null;
}

export interface ContactView extends MisContact {
  readonly status: PersonStatus;
  /** Visible children linked to this contact, in MIS order. */
  readonly pupilIds: readonly string[];
  /** Children linked to this contact who are admitted but have not started yet. */
  readonly joiningPupilIds: readonly string[];
}

export interface GroupView extends MisGroup {
  /** Pupils on roll who are in the group on this day. */
  readonly pupilIds: readonly string[];
}

export interface StaffView extends MisStaff {
  readonly status: PersonStatus;
}

/** Who and what is visible on one school day. */
export interface RosterView {
  readonly school: SchoolInfo;
  readonly day: IsoDate;
  readonly pupils: ReadonlyMap<string, PupilView>;
  /** Pupils in the MIS who have not started yet: not on roll, but their families are staying. */
  readonly joining: ReadonlyMap<string, MisPupil>;
  readonly contacts: ReadonlyMap<string, ContactView>;
  readonly links: readonly MisLink[];
  readonly groups: ReadonlyMap<string, GroupView>;
  readonly staff: ReadonlyMap<string, StaffView>;
}
