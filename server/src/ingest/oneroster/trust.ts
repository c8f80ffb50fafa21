import type { Context } from './context.ts';
import { CONTACT_ROLES } from './roles.ts';
import type { Row, Table } from './table.ts';
import { listValue } from './values.ts';

/*
 * A trust (multi-academy) export lists several schools in one bundle. The school this server is
 * importing is the org whose identifier is its DfE number. Read from it: its classes and
 * enrollments; the people who hold a role there, with their roles there (and at the trust, not at
 * other schools); and the contacts of its pupils, as contacts only, wherever else they work or
 * study. Nobody comes in as a pupil or staff of ours for a role held at another school.
 */

export interface BundleTables {
  readonly orgs: Table | null;
  readonly users: Table;
  readonly roles: Table | null;
  readonly classes: Table | null;
  readonly enrollments: Table | null;
}

const isSchoolOrg = (row: Row): boolean => !row.deleted && row.value('type').toLowerCase() === 'school';
const isContactRole = (role: string): boolean =>
  CONTACT_ROLES.some((contact) => contact === role.toLowerCase());

/** The org of the school with DfE number `estab`, when the bundle lists more than one school. */
export function chosenSchoolOrg(orgs: Table | null, estab: string | null): Row | null {
  if (orgs === null || estab === null) return null;
  const schools = orgs.rows.filter(isSchoolOrg);
  if (schools.length < 2) return null;
  return schools.find((row) => row.value('identifier') === estab) ?? null;
}

export function scopeToSchool(ctx: Context, tables: BundleTables, estab: string | null): BundleTables {
  const school = chosenSchoolOrg(tables.orgs, estab);
  if (school === null || tables.orgs === null) return tables;
  const orgId = school.id;
  const otherSchools = new Set(
    tables.orgs.rows.filter((row) => isSchoolOrg(row) && row.id !== orgId).map((row) => row.id),
  );
  // Who holds a role here, who studies here, and who may be a contact at all.
  const members = new Set<string>();
  const ourPupils = new Set<string>();
  const contactsAnywhere = new Set<string>();
  if (ctx.version === '1.1') {
    for (const row of tables.users.rows) {
      const role = row.value('role').toLowerCase();
      if (isContactRole(role)) contactsAnywhere.add(row.id);
      if (!listValue(row, 'orgSourcedIds').includes(orgId)) continue;
      members.add(row.id);
      if (role === 'student') ourPupils.add(row.id);
    }
  } else if (tables.roles) {
    for (const row of tables.roles.rows) {
      const user = row.value('userSourcedId');
      const role = row.value('role').toLowerCase();
      if (isContactRole(role)) contactsAnywhere.add(user);
      if (row.value('orgSourcedId') !== orgId) continue;
      members.add(user);
      if (role === 'student') ourPupils.add(user);
    }
  }
  // Contacts of our pupils, named on either side of the link.
  const contacts = new Set<string>();
  for (const row of tables.users.rows) {
    if (ourPupils.has(row.id)) for (const agent of listValue(row, 'agentSourcedIds')) contacts.add(agent);
    else if (listValue(row, 'agentSourcedIds').some((agent) => ourPupils.has(agent))) contacts.add(row.id);
  }
  const contactsOnly = new Set([...contacts].filter((id) => !members.has(id) && contactsAnywhere.has(id)));
  const kept = (id: string): boolean => members.has(id) || contactsOnly.has(id);
  const onlyRows = (table: Table | null, keep: (row: Row) => boolean): Table | null =>
    table === null ? null : { ...table, rows: table.rows.filter(keep) };
  ctx.issues.warn(
    tables.orgs.file,
    'trust-export',
    `${tables.orgs.file} lists ${otherSchools.size + 1} schools; only the rows for ${school.value('name')} (${school.value('identifier')}) were read.`,
  );
  return {
    orgs: tables.orgs,
    users: {
      ...tables.users,
      rows: tables.users.rows.filter(
        (row) =>
          kept(row.id) && (ctx.version === '1.2' || members.has(row.id) || isContactRole(row.value('role'))),
      ),
    },
    roles: onlyRows(tables.roles, (row) => {
      const user = row.value('userSourcedId');
      if (members.has(user)) return !otherSchools.has(row.value('orgSourcedId'));
      return contactsOnly.has(user) && isContactRole(row.value('role'));
    }),
    classes: onlyRows(tables.classes, (row) => row.value('schoolSourcedId') === orgId),
    enrollments: onlyRows(tables.enrollments, (row) => row.value('schoolSourcedId') === orgId),
  };
}
