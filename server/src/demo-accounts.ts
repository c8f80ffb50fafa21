import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Role } from '@schoolping/shared';
import { hashPassword } from './auth/passwords.ts';
import { humanCode } from './auth/tokens.ts';
import { createUser, setPassword } from './auth/users.ts';
import type { Db } from './db/database.ts';
import { loadRoster, type SchoolRow } from './db/school-store.ts';

const FILE = 'demo-sign-ins.txt';

export interface DemoSignIn {
  readonly who: string;
  readonly email: string;
  readonly password: string;
}

/**
 * Sign-ins for the demo school: a school admin, a payments admin, a teacher and two parents from
 * different families (one of them Karen Daley, from the seed's wallet example). The passwords are
 * random, written beside the database for the person running the demo, and printed at start.
 * The demo school does not ask admins for a second factor, so these work at once.
 */
export async function createDemoAccounts(
  db: Db,
  school: SchoolRow,
  dataDir: string,
  now: Date,
): Promise<DemoSignIn[]> {
  const mis = loadRoster(db, school);
  const staffWith = (index: number) => mis.staff[index];
  const karen = mis.contacts.find((contact) => contact.forename === 'Karen' && contact.surname === 'Daley');
  // Karen's family reaches through her ex-partner to his other child: keep the second parent clear of all of it.
  const pupilsOf = (contactIds: ReadonlySet<string>) =>
    new Set(mis.links.filter((link) => contactIds.has(link.contactId)).map((link) => link.pupilId));
  const contactsOf = (pupilIds: ReadonlySet<string>) =>
    new Set(mis.links.filter((link) => pupilIds.has(link.pupilId)).map((link) => link.contactId));
  const family = pupilsOf(contactsOf(pupilsOf(new Set(karen ? [karen.id] : []))));
  const otherFamily = mis.contacts.find(
    (contact) =>
      contact.email !== null &&
      mis.links.some(
        (link) => link.contactId === contact.id && link.parentalResponsibility && link.priority === 1,
      ) &&
      !mis.links.some((link) => link.contactId === contact.id && family.has(link.pupilId)),
  );
  const plan: {
    who: string;
    kind: 'staff' | 'parent';
    misId: string;
    email: string | null;
    name: string;
    roles: Role[];
  }[] = [];
  const addStaff = (who: string, index: number, roles: Role[]): void => {
    const member = staffWith(index);
    if (member)
      plan.push({
        who,
        kind: 'staff',
        misId: member.id,
        email: member.email,
        name: `${member.forename} ${member.surname}`,
        roles,
      });
  };
  addStaff('School admin', 0, ['staff', 'school-admin']);
  addStaff('Payments admin', 2, ['staff', 'payments-admin']);
  addStaff('Teacher', 4, ['staff']);
  for (const parent of [karen, otherFamily]) {
    if (parent)
      plan.push({
        who: 'Parent',
        kind: 'parent',
        misId: parent.id,
        email: parent.email,
        name: `${parent.forename} ${parent.surname}`,
        roles: ['parent'],
      });
  }
  const signIns: DemoSignIn[] = [];
  for (const account of plan) {
    if (!account.email) continue;
    const password = humanCode();
    const passwordHash = await hashPassword(password);
    db.transaction(() => {
      const user = createUser(
        db,
        {
          schoolId: school.id,
          kind: account.kind,
          misId: account.misId,
          email: account.email ?? '',
          name: account.name,
          roles: account.roles,
        },
        now,
      );
      setPassword(db, user.id, passwordHash);
    })();
    signIns.push({ who: `${account.who}: ${account.name}`, email: account.email, password });
  }
  db.prepare('UPDATE schools SET require_admin_mfa = 0 WHERE id = ?').run(school.id);
  const file = join(dataDir, FILE);
  writeFileSync(file, JSON.stringify(signIns, null, 2));
  chmodSync(file, 0o600);
  return signIns;
}

export function readDemoSignIns(dataDir: string): DemoSignIn[] {
  const file = join(dataDir, FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoSignIn[]) : [];
}
