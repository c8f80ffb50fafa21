import { londonDate, londonInstant, rosterOn } from '@schoolping/shared';
import { systemClock } from '../clock.ts';
import { createSchool, listSchools, loadRoster } from '../db/school-store.ts';
import { updateSchoolSettings } from '../db/school-settings.ts';
import { changesOn, previewDaily, runDaily } from '../ingest/core/daily.ts';
import { acceptHeld, discardHeld, listHeld } from '../ingest/core/held.ts';
import { rotateIngestKey } from '../ingest/core/keys.ts';
import { leaversReport } from '../ingest/core/leavers.ts';
import { syncHealth } from '../ingest/core/sync-health.ts';
import { GROUPCALL_URLS, listConnections, pullAndIngest, saveConnection } from '../ingest/xod/pull.ts';
import { dateFlag, flag, idFlag, requiredFlag, UsageError, type Command } from './args.ts';
import { print, table } from './output.ts';
import { changesTable, healthText, leaversTable } from './readable.ts';
import { pickSchool, withDb, withDbAsync } from './with-db.ts';

export const misCommands: Record<string, Command> = {
  'school-add': {
    usage: 'school-add --name N --estab NNNNNNN',
    summary: 'Create a school and print its ingest key.',
    run(args) {
      const name = requiredFlag(args, '--name').trim();
      const estab = requiredFlag(args, '--estab');
      if (!/^\d{7}$/.test(estab))
        throw new UsageError('--estab must be the seven-digit DfE number (LA code and school number).');
      if (!name) throw new UsageError('--name must not be empty.');
      return withDb(
        (db) => {
          if (listSchools(db).some((school) => school.estab === estab))
            throw new UsageError(`A school with estab ${estab} already exists.`);
          const now = systemClock();
          const { school, key } = db.transaction(() => {
            const created = createSchool(db, { name, estab }, now);
            return { school: created, key: rotateIngestKey(db, created.id, now) };
          })();
          console.log(
            `Created school ${school.id}: ${school.name} (${school.estab}).\nIngest key (shown once, keep it safe):\n${key}`,
          );
          return 0;
        },
        { mayCreate: true },
      );
    },
  },
  'ingest-key': {
    usage: 'ingest-key [--school ID]',
    summary: 'Issue a new ingest key; the old one stops working.',
    run(args) {
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        console.log(
          `New ingest key for ${school.name} (the old one no longer works):\n${rotateIngestKey(db, school.id, systemClock())}`,
        );
        return 0;
      });
    },
  },
  held: {
    usage: 'held [--accept ID | --discard ID] [--json]',
    summary: 'List snapshots held for lacking many pupils, or decide one.',
    run(args) {
      return withDb((db) => {
        const accept = idFlag(args, '--accept');
        const discard = idFlag(args, '--discard');
        if (accept !== undefined)
          print(
            args,
            acceptHeld(db, accept, systemClock()),
            (outcome) => `Accepted held snapshot ${accept}: ${outcome.outcome}.`,
          );
        else if (discard !== undefined) {
          discardHeld(db, discard, systemClock());
          print(
            args,
            { discarded: discard },
            () => `Discarded held snapshot ${discard}; nothing was applied.`,
          );
        } else
          print(args, listHeld(db), (held) =>
            held.length === 0
              ? 'No snapshots are held.'
              : table(
                  ['id', 'school', 'received', 'missing', 'on roll'],
                  held.map((each) => [
                    String(each.id),
                    String(each.schoolId),
                    each.receivedAt,
                    String(each.missing),
                    String(each.onRoll),
                  ]),
                ),
          );
        return 0;
      });
    },
  },
  daily: {
    usage: 'daily [--as-of YYYY-MM-DD [--apply]] [--school ID] [--json]',
    summary: 'Run the 02:00 job now; as of another date it is a preview unless --apply.',
    run(args) {
      const asOf = dateFlag(args, '--as-of');
      const now = asOf === undefined ? systemClock() : londonInstant(asOf, 2);
      // Applying a day ahead would make later real runs wait for it; previewing is the safe default.
      const isPreview = asOf !== undefined && asOf !== londonDate(systemClock()) && !args.includes('--apply');
      return withDb((db) => {
        const schoolId = idFlag(args, '--school');
        const schools = schoolId === undefined ? listSchools(db) : [pickSchool(db, schoolId)];
        const results = schools.map((school) => ({
          school: school.name,
          preview: isPreview,
          changes: isPreview
            ? previewDaily(db, school.id, now)
            : db.transaction(() => runDaily(db, school.id, now)).immediate(),
        }));
        print(args, results.length === 1 ? results[0] : results, () =>
          results
            .map(
              (each) =>
                `${each.school}: ${each.preview ? 'would change (preview; --apply to record it)' : 'changed'} ${each.changes.length} ${each.changes.length === 1 ? 'record' : 'records'}.\n${changesTable(each.changes)}`,
            )
            .join('\n\n'),
        );
        return 0;
      });
    },
  },
  changes: {
    usage: 'changes --date YYYY-MM-DD [--school ID] [--json]',
    summary: 'Print the change log for a day: who joined, left or moved class.',
    run(args) {
      const date = dateFlag(args, '--date');
      if (date === undefined) throw new UsageError('--date is required.');
      return withDb((db) => {
        print(args, changesOn(db, pickSchool(db, idFlag(args, '--school')).id, date), changesTable);
        return 0;
      });
    },
  },
  'mis-status': {
    usage: 'mis-status [--school ID] [--json]',
    summary: 'Is the MIS sync ok, late or failing, and what to do about it.',
    run(args) {
      return withDb((db) => {
        print(args, syncHealth(db, pickSchool(db, idFlag(args, '--school')).id, systemClock()), healthText);
        return 0;
      });
    },
  },
  leavers: {
    usage: 'leavers --date YYYY-MM-DD [--school ID] [--json]',
    summary: 'The leavers check: each leaver and their contacts, expected and applied, problems first.',
    run(args) {
      const date = dateFlag(args, '--date');
      if (date === undefined) throw new UsageError('--date is required.');
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        const roster = rosterOn(loadRoster(db, school), date);
        const className = (pupilId: string): string => {
          const group = roster.pupils.get(pupilId)?.registrationGroupId;
          return group ? (roster.groups.get(group)?.name ?? group) : '';
        };
        print(args, leaversReport(db, school, date), (check) => leaversTable(check, className));
        return 0;
      });
    },
  },
  'contact-block': {
    usage: 'contact-block --contact MISID --reason TEXT [--school ID] [--remove]',
    summary: 'Record a do-not-contact block that survives every re-ingest.',
    run(args) {
      const contactId = requiredFlag(args, '--contact');
      const isRemoval = args.includes('--remove');
      const reason = isRemoval ? '' : requiredFlag(args, '--reason');
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        if (isRemoval) {
          db.prepare('DELETE FROM contact_blocks WHERE school_id = ? AND contact_id = ?').run(
            school.id,
            contactId,
          );
          console.log(`Removed the block on contact ${contactId}.`);
        } else {
          db.prepare(
            `INSERT INTO contact_blocks (school_id, contact_id, reason, created_at) VALUES (?, ?, ?, ?)
             ON CONFLICT (school_id, contact_id) DO UPDATE SET reason = excluded.reason`,
          ).run(school.id, contactId, reason, systemClock().toISOString());
          console.log(`Contact ${contactId} will not be contacted (${reason}).`);
        }
        return 0;
      });
    },
  },
  'xod-connect': {
    usage: 'xod-connect --relying-party R --secret S [--xod-estab N] [--every-hours H] [--school ID]',
    summary: 'Pull from Xporter on Demand every few hours (default 4).',
    run(args) {
      const relyingParty = requiredFlag(args, '--relying-party');
      const secret = requiredFlag(args, '--secret');
      const everyHours = Number(flag(args, '--every-hours') ?? 4);
      if (!Number.isInteger(everyHours) || everyHours < 1 || everyHours > 24)
        throw new UsageError('--every-hours must be 1 to 24.');
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        const baseUrl = flag(args, '--base-url') ?? GROUPCALL_URLS.baseUrl;
        const tokenUrl = flag(args, '--token-url') ?? GROUPCALL_URLS.tokenUrl;
        const xodEstab = flag(args, '--xod-estab') ?? school.estab;
        saveConnection(db, {
          schoolId: school.id,
          baseUrl,
          tokenUrl,
          xodEstab,
          relyingParty,
          secret,
          everyHours,
        });
        console.log(
          `${school.name} will be pulled from Xporter on Demand every ${everyHours} hours while the server runs.`,
        );
        return 0;
      });
    },
  },
  'xod-pull': {
    usage: 'xod-pull [--school ID] [--json]',
    summary: 'Pull from Xporter on Demand now and apply it.',
    run(args) {
      return withDbAsync(async (db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        const connection = listConnections(db).find((each) => each.schoolId === school.id);
        if (!connection)
          throw new UsageError(`${school.name} has no Xporter connection: run xod-connect first.`);
        const outcome = await pullAndIngest(db, school, connection, systemClock);
        print(args, outcome, (each) =>
          'errors' in each
            ? `The pull ${each.outcome === 'failed' ? 'failed' : 'was refused'}:\n${each.errors.map((error) => `  - ${error.message}`).join('\n')}`
            : each.outcome === 'held'
              ? `The pull was held: ${each.missing} of ${each.onRoll} pupils on roll are missing (see \`held\`).`
              : `Pulled and applied: ${each.counts.added} added, ${each.counts.updated} updated, ${each.counts.left} left.`,
        );
        return outcome.outcome === 'applied' || outcome.outcome === 'held' ? 0 : 1;
      });
    },
  },
  'school-set': {
    usage: 'school-set [--late-after-hours N] [--admin-mfa on|off] [--email-text on|off] [--school ID]',
    summary:
      'School settings: when the MIS feed counts as late (default 26 h); whether admins need an authenticator; whether emails to parents carry the message itself (default off).',
    run(args) {
      const lateText = flag(args, '--late-after-hours');
      const mfa = flag(args, '--admin-mfa');
      const emailText = flag(args, '--email-text');
      if (lateText === undefined && mfa === undefined && emailText === undefined)
        throw new UsageError('Give --late-after-hours N, --admin-mfa on|off or --email-text on|off.');
      if (emailText !== undefined && emailText !== 'on' && emailText !== 'off')
        throw new UsageError('--email-text is on or off.');
      const hours = lateText === undefined ? undefined : Number(lateText);
      if (hours !== undefined && (!Number.isInteger(hours) || hours < 1 || hours > 24 * 14)) {
        throw new UsageError('--late-after-hours must be 1 to 336.');
      }
      if (mfa !== undefined && mfa !== 'on' && mfa !== 'off')
        throw new UsageError('--admin-mfa is on or off.');
      return withDb((db) => {
        const school = pickSchool(db, idFlag(args, '--school'));
        const settings = updateSchoolSettings(
          db,
          school.id,
          {
            ...(hours === undefined ? {} : { lateAfterHours: hours }),
            ...(mfa === undefined ? {} : { adminMfaRequired: mfa === 'on' }),
            ...(emailText === undefined ? {} : { emailIncludesText: emailText === 'on' }),
          },
          'cli',
          systemClock(),
        );
        if (hours !== undefined)
          console.log(
            `${school.name}: the MIS feed counts as late after ${settings.lateAfterHours} hours without a good sync.`,
          );
        if (emailText !== undefined)
          console.log(
            `${school.name}: emails to parents ${settings.emailIncludesText ? 'carry the message itself' : 'only say a message is waiting'}.`,
          );
        if (mfa !== undefined)
          console.log(
            `${school.name}: admins ${settings.adminMfaRequired ? 'must' : 'need not'} use an authenticator app.`,
          );
        return 0;
      });
    },
  },
};
