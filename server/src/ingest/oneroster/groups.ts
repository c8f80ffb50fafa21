import type { IsoDate, MisGroup } from '@schoolping/shared';
import { recordKey, type FeedMembership } from '../core/types.ts';
import type { Context } from './context.ts';
import type { UserKind } from './roles.ts';
import type { Table } from './table.ts';
import { checkReference, dateValue, enumValue } from './values.ts';

export const CLASS_COLUMNS = ['sourcedId', 'title', 'classType'];
export const ENROLLMENT_COLUMNS = ['sourcedId', 'classSourcedId', 'userSourcedId', 'role'];
const CLASS_TYPES = ['homeroom', 'scheduled'] as const;
const ENROLLMENT_ROLES = ['administrator', 'proctor', 'student', 'teacher'] as const;

export interface Classes {
  readonly groups: MisGroup[];
  /** Classes a delta marks tobedeleted. */
  readonly removed: string[];
}

/** A homeroom is the registration (form) group; a scheduled class is a teaching group. */
export function readClasses(
  ctx: Context,
  classes: Table,
  orgs: Table | null,
  sessions: Table | null,
): Classes {
  const result: Classes = { groups: [], removed: [] };
  for (const row of classes.rows) {
    if (row.deleted) {
      result.removed.push(row.id);
      continue;
    }
    checkReference(ctx, classes.file, row, 'schoolSourcedId', orgs);
    checkReference(ctx, classes.file, row, 'termSourcedIds', sessions);
    const type = enumValue(ctx, classes.file, row, 'classType', CLASS_TYPES);
    if (type === null) continue;
    result.groups.push({
      id: row.id,
      name: row.value('title'),
      kind: type === 'homeroom' ? 'registration' : 'custom',
    });
  }
  return result;
}

export interface Enrollments {
  readonly memberships: FeedMembership[];
  /** Membership keys a delta marks tobedeleted. */
  readonly removed: string[];
  readonly firstEnrolled: Map<string, IsoDate>;
}

/** Student enrollments become class memberships; teacher enrollments are not memberships here. */
export function readEnrollments(
  ctx: Context,
  tables: { enrollments: Table; classes: Table; users: Table; orgs: Table | null },
  kinds: ReadonlyMap<string, UserKind>,
  removedClasses: ReadonlySet<string>,
): Enrollments {
  const { enrollments, classes, users, orgs } = tables;
  const file = enrollments.file;
  const result: Enrollments = { memberships: [], removed: [], firstEnrolled: new Map() };
  const seen = new Set<string>();
  for (const row of enrollments.rows) {
    const groupId = row.value('classSourcedId');
    const pupilId = row.value('userSourcedId');
    if (row.deleted) {
      // A deleted row may leave role blank; removing a key that is not a membership is harmless.
      if (['', 'student'].includes(row.value('role').toLowerCase()))
        result.removed.push(recordKey.membership({ groupId, pupilId }));
      continue;
    }
    checkReference(ctx, file, row, 'classSourcedId', classes);
    checkReference(ctx, file, row, 'userSourcedId', users);
    checkReference(ctx, file, row, 'schoolSourcedId', orgs);
    const role = enumValue(ctx, file, row, 'role', ENROLLMENT_ROLES);
    const startDate = dateValue(ctx, file, row, 'beginDate');
    const endDate = dateValue(ctx, file, row, 'endDate');
    if (startDate !== null && endDate !== null && endDate < startDate) {
      ctx.issues.error(
        row.where('endDate'),
        'end-before-start',
        `Enrollment ${row.id} in ${file} ends before it begins.`,
      );
    }
    if (role !== 'student') continue;
    const skip = (code: string, why: string): void => {
      ctx.issues.warn(row.where('sourcedId'), code, `Enrollment ${row.id} was not imported: ${why}.`, file);
    };
    if (classes.omitted.has(groupId) || removedClasses.has(groupId)) {
      skip('class-removed', `class ${groupId} is marked tobedeleted`);
      continue;
    }
    if (users.omitted.has(pupilId)) {
      skip('user-removed', `user ${pupilId} is marked tobedeleted`);
      continue;
    }
    // In a delta, a pupil not in this delta's users.csv may already be on the server.
    if (users.ids.has(pupilId) && kinds.get(pupilId)?.pupil !== true) {
      skip(
        'enrollment-not-pupil',
        `${pupilId} is enrolled as a student but is not a student in ${users.file}`,
      );
      continue;
    }
    const key = recordKey.membership({ groupId, pupilId });
    if (seen.has(key)) {
      skip('duplicate-enrollment', `${pupilId} is already enrolled in ${groupId}`);
      continue;
    }
    seen.add(key);
    result.memberships.push({ groupId, pupilId, startDate, endDate });
    const first = result.firstEnrolled.get(pupilId);
    if (startDate !== null && (first === undefined || startDate < first))
      result.firstEnrolled.set(pupilId, startDate);
  }
  return result;
}
