import type { Context } from './context.ts';
import type { Table } from './table.ts';
import { checkReference, enumValue } from './values.ts';

export const ROLE_COLUMNS = ['sourcedId', 'userSourcedId', 'roleType', 'role'];
const ROLES_11 = [
  'administrator',
  'aide',
  'guardian',
  'parent',
  'proctor',
  'relative',
  'student',
  'teacher',
] as const;
const ROLES_12 = [
  'aide',
  'counselor',
  'districtAdministrator',
  'guardian',
  'parent',
  'principal',
  'proctor',
  'relative',
  'siteAdministrator',
  'student',
  'systemAdministrator',
  'teacher',
] as const;
const ROLE_TYPES = ['primary', 'secondary'] as const;
/** In the order that names a contact's relationship when they hold more than one. */
export const CONTACT_ROLES = ['parent', 'guardian', 'relative'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** What a user is to this server. A teacher may also be a guardian (a 1.2 secondary role). */
export interface UserKind {
  readonly pupil: boolean;
  readonly contactRole: ContactRole | null;
  readonly staff: boolean;
}

/**
 * Each user's kind: from users.role in 1.1, from every roles.csv row (primary or secondary) in 1.2.
 * A user with no role this server uses is left out with a warning.
 */
export function userKinds(
  ctx: Context,
  users: Table,
  roles: Table | null,
  orgs: Table | null,
): Map<string, UserKind> {
  const held =
    ctx.version === '1.1' ? rolesFromUsers(ctx, users, orgs) : rolesFromRolesFile(ctx, users, roles, orgs);
  const kinds = new Map<string, UserKind>();
  for (const row of users.rows) {
    if (row.deleted) continue;
    const names = held.get(row.id) ?? new Set<string>();
    const kind: UserKind = {
      pupil: names.has('student'),
      contactRole: CONTACT_ROLES.find((role) => names.has(role)) ?? null,
      staff: [...names].some(
        (role) => !role.startsWith('ext:') && role !== 'student' && !isContactRole(role),
      ),
    };
    if (kind.pupil && (kind.staff || kind.contactRole !== null)) {
      ctx.issues.warn(
        row.where('sourcedId'),
        'mixed-roles',
        `${row.id} is a student and also holds ${[...names].filter((name) => name !== 'student').join(', ')}; only the student was imported.`,
      );
      kinds.set(row.id, { pupil: true, contactRole: null, staff: false });
    } else if (kind.pupil || kind.staff || kind.contactRole !== null) {
      kinds.set(row.id, kind);
    } else {
      const why =
        ctx.mode === 'delta' && names.size === 0
          ? 'no role in this delta'
          : 'no student, contact or staff role';
      ctx.issues.warn(
        row.where('sourcedId'),
        'no-role',
        `User ${row.id} has ${why}, so they were not imported.`,
        users.file,
      );
    }
  }
  return kinds;
}

function isContactRole(role: string): role is ContactRole {
  return CONTACT_ROLES.some((contact) => contact === role);
}

function rolesFromUsers(ctx: Context, users: Table, orgs: Table | null): Map<string, Set<string>> {
  const held = new Map<string, Set<string>>();
  for (const row of users.rows) {
    if (row.deleted) continue;
    checkReference(ctx, users.file, row, 'orgSourcedIds', orgs);
    const role = enumValue(ctx, users.file, row, 'role', ROLES_11);
    if (role !== null) held.set(row.id, new Set([role]));
  }
  return held;
}

function rolesFromRolesFile(
  ctx: Context,
  users: Table,
  roles: Table | null,
  orgs: Table | null,
): Map<string, Set<string>> {
  const held = new Map<string, Set<string>>();
  const withPrimary = new Set<string>();
  if (roles === null) return held;
  for (const row of roles.rows) {
    // A role ended in a delta is not a role held; the user's other rows say what they still are.
    if (row.deleted) continue;
    checkReference(ctx, roles.file, row, 'userSourcedId', users);
    checkReference(ctx, roles.file, row, 'orgSourcedId', orgs);
    const user = row.value('userSourcedId');
    const role = enumValue(ctx, roles.file, row, 'role', ROLES_12);
    const type = enumValue(ctx, roles.file, row, 'roleType', ROLE_TYPES);
    if (role === null) continue;
    held.set(user, (held.get(user) ?? new Set()).add(role));
    if (type === 'primary') withPrimary.add(user);
  }
  if (ctx.mode === 'bulk') {
    for (const row of users.rows) {
      if (held.has(row.id) && !withPrimary.has(row.id)) {
        ctx.issues.warn(
          row.where('sourcedId'),
          'no-primary-role',
          `User ${row.id} has no primary role in ${roles.file}.`,
          roles.file,
        );
      }
    }
  }
  return held;
}
