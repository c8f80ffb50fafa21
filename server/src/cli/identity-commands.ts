import { ROLES, type Role } from '@schoolping/shared';
import { AccountError } from '../auth/activation.ts';
import { verifyAudit } from '../auth/audit.ts';
import { addStaffAccount, changeStaffRoles, issueParentCodes } from '../auth/people.ts';
import { DEFAULT_IDENTITY, type IdentitySettings } from '../auth/settings.ts';
import { readConfig } from '../config.ts';
import { userByEmail } from '../auth/users.ts';
import { systemClock } from '../clock.ts';
import { resealSecrets } from '../secrets/at-rest.ts';
import { addKey } from '../secrets/keyring.ts';
import { idFlag, requiredFlag, UsageError, type Command } from './args.ts';
import { pickSchool, withDb } from './with-db.ts';
import { print, table } from './output.ts';
import { notifyStore } from '../notify/notify-store.ts';

const STAFF_ROLES = ROLES.filter((role) => role !== 'parent');

const settings = (): IdentitySettings => ({ ...DEFAULT_IDENTITY, ...readConfig().identity });

function parseRoles(text: string): Role[] {
  const roles = text.split(',').map((role) => role.trim());
  const unknown = roles.filter((role) => !(STAFF_ROLES as readonly string[]).includes(role));
  if (unknown.length > 0 || roles.length === 0) {
    throw new UsageError(`Roles are ${STAFF_ROLES.join(', ')}; got "${text}".`);
  }
  return roles as Role[];
}

/** A CSV cell: quoted when it holds a comma, quote or line break. */
function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export const identityCommands: Record<string, Command> = {
  unreached: {
    usage: 'unreached --message ID [--school ID] [--json]',
    summary: 'Parents no push or email reached for a message, to give a printed copy.',
    run(args) {
      const messageId = requiredFlag(args, '--message');
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        const parents = notifyStore(db).unreached(school.id, messageId);
        if (parents === null) {
          console.error(`${school.name} has no message ${messageId}.`);
          return 1;
        }
        print(args, parents, (rows) =>
          rows.length === 0
            ? 'Every parent this message was for has been reached.'
            : `${rows.length} parent${rows.length === 1 ? '' : 's'} not reached:\n` +
              table(
                ['parent', 'email', 'why'],
                rows.map((row) => [row.name, row.email ?? '(none)', row.reason]),
              ),
        );
        return 0;
      });
    },
  },
  'user-add': {
    usage: 'user-add --email E --name N --role R[,R] [--school ID]',
    summary: 'Create a staff account and print its one-time activation code.',
    run(args) {
      const email = requiredFlag(args, '--email').trim();
      const name = requiredFlag(args, '--name').trim();
      const roles = parseRoles(requiredFlag(args, '--role'));
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new UsageError(`"${email}" is not an email address.`);
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        const now = systemClock();
        try {
          const { user, code } = addStaffAccount(db, school, { email, name, roles }, 'cli', now, settings());
          if (user.misId === null) {
            console.error(
              `Note: no MIS staff record has the email ${email}, so this account will not close by itself when they leave.`,
            );
          }
          console.log(
            `Created ${name} <${email}> (${roles.join(', ')}) at ${school.name}.\nActivation code, valid ${settings().activationDays} days, single use:\n${code}`,
          );
          return 0;
        } catch (error) {
          if (error instanceof AccountError) throw new UsageError(error.message);
          throw error;
        }
      });
    },
  },
  'activation-codes': {
    usage: 'activation-codes [--school ID]',
    summary: 'CSV of activation codes for parents who have not activated (mail merge or letters).',
    run(args) {
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        const now = systemClock();
        const { codes } = issueParentCodes(db, school, 'cli', now, settings(), (contact, reason) => {
          console.error(`Skipped ${contact}: ${reason}.`);
        });
        console.log('contact,name,email,code');
        for (const row of codes)
          console.log([row.contactId, row.name, row.email, row.code].map(csvCell).join(','));
        return 0;
      });
    },
  },
  'user-roles': {
    usage: 'user-roles --email E --role R[,R]',
    summary: 'Change a staff account’s roles; its sessions end so the change applies at once.',
    run(args) {
      const email = requiredFlag(args, '--email');
      const roles = parseRoles(requiredFlag(args, '--role'));
      return withDb((db) => {
        const user = userByEmail(db, email);
        if (!user || user.kind !== 'staff') throw new UsageError(`There is no staff account for ${email}.`);
        changeStaffRoles(db, user, roles, 'cli', systemClock());
        console.log(`${user.name} now has: ${roles.join(', ')}.`);
        return 0;
      });
    },
  },
  'audit-verify': {
    usage: 'audit-verify',
    summary: 'Check that no audit log row was edited or removed.',
    run() {
      return withDb((db) => {
        const check = verifyAudit(db);
        if (check.ok) {
          console.log(`The audit log is intact: ${check.rows} rows.`);
          return 0;
        }
        console.error(`The audit log has been tampered with: row ${check.rowId} ${check.problem}.`);
        return 1;
      });
    },
  },
  'key-rotate': {
    usage: 'key-rotate',
    summary:
      'Add a new server key and re-seal every stored secret with it (the old key is kept to verify the audit log).',
    run() {
      const config = readConfig();
      return withDb((db) => {
        const next = addKey(config.keyFile, new Date());
        const resealed = resealSecrets(db, next, new Date());
        console.log(
          `Server key ${next.current.id} is now in use (${config.keyFile}); ${resealed} secrets re-sealed with it.`,
        );
        return 0;
      });
    },
  },
};
