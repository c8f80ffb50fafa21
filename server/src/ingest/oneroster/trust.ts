import type { Context } from './context.ts';
import type { Row, Table } from './table.ts';
import { listValue } from './values.ts';

/*
 * A trust (multi-academy) export lists several schools in one bundle. The school this server is
 * importing is the org whose identifier is its DfE number; only the rows that belong to it are
 * read: its classes and enrollments, the people who hold a role there, and their contacts.
 */

export interface BundleTables {
  readonly orgs: Table | null;
  readonly users: Table;
  readonly roles: Table | null;
  readonly classes: Table | null;
  readonly enrollments: Table | null;
}

const isSchoolOrg = (row: Row): boolean => !row.deleted && row.value('type').toLowerCase() === 'school';

/** The org id of the school with DfE number `estab`, when the bundle lists more than one school. */
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
  // Who holds a role at the school: users.orgSourcedIds in 1.1, roles.csv rows in 1.2.
  const members = new Set<string>();
  if (ctx.version === '1.1') {
    for (const row of tables.users.rows)
      if (listValue(row, 'orgSourcedIds').includes(orgId)) members.add(row.id);
  } else if (tables.roles) {
    for (const row of tables.roles.rows)
      if (row.value('orgSourcedId') === orgId) members.add(row.value('userSourcedId'));
  }
  // Their contacts come too, named from either side of the link, wherever else they hold roles.
  const kept = new Set(members);
  for (const row of tables.users.rows) {
    const agents = listValue(row, 'agentSourcedIds');
    if (members.has(row.id)) for (const agent of agents) kept.add(agent);
    else if (agents.some((agent) => members.has(agent))) kept.add(row.id);
  }
  const onlyRows = (table: Table | null, keep: (row: Row) => boolean): Table | null =>
    table === null ? null : { ...table, rows: table.rows.filter(keep) };
  ctx.issues.warn(
    tables.orgs.file,
    'trust-export',
    `${tables.orgs.file} lists ${otherSchools.size + 1} schools; only the rows for ${school.value('name')} (${school.value('identifier')}) were read.`,
  );
  return {
    orgs: tables.orgs,
    users: { ...tables.users, rows: tables.users.rows.filter((row) => kept.has(row.id)) },
    roles: onlyRows(
      tables.roles,
      (row) =>
        kept.has(row.value('userSourcedId')) &&
        (!otherSchools.has(row.value('orgSourcedId')) || !members.has(row.value('userSourcedId'))),
    ),
    classes: onlyRows(tables.classes, (row) => row.value('schoolSourcedId') === orgId),
    enrollments: onlyRows(tables.enrollments, (row) => row.value('schoolSourcedId') === orgId),
  };
}
