/*
 * Who people are to the app: roles and principals, said in one place. The policy table, the
 * reducer and the server's sessions all take them from here.
 */

export const ROLES = ['staff', 'payments-admin', 'school-admin', 'parent'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  readonly userId: number;
  readonly schoolId: number;
  readonly roles: readonly Role[];
  /** The MIS contact a parent account stands for. */
  readonly contactId: string | null;
  /** A parent whose children have all left may read for a while but change nothing. */
  readonly isReadOnly: boolean;
}
