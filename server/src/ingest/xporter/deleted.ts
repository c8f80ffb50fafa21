import { z } from 'zod';
import { recordKey, type RecordKind } from '../core/types.ts';
import { IssueList, pointer, zodIssues } from './issues.ts';

/*
 * XoD changesets list rows that left a result set as `{Dataset}_deleted`. People and groups are
 * named by Id. Links and memberships are named by a composite of IdaasIds ("PL-10000.PC-10001",
 * "GC-8811.PL-9660"), or by their two ids where the feed sends them.
 */

const BY_ID: Partial<Record<string, RecordKind>> = {
  Students_deleted: 'pupil',
  Contacts_deleted: 'contact',
  Group_deleted: 'group',
  Staff_deleted: 'staff',
};

const PAIRS: Partial<Record<string, { kind: 'link' | 'membership'; first: string; second: string }>> = {
  StudentContacts_deleted: { kind: 'link', first: 'StudentId', second: 'ContactId' },
  StudentContact_deleted: { kind: 'link', first: 'StudentId', second: 'ContactId' },
  StudentMembers_deleted: { kind: 'membership', first: 'GroupId', second: 'StudentId' },
};

const idRow = z.looseObject({ Id: z.string().trim().min(1).max(200) });
const pairRow = z.looseObject({
  Id: z.string().max(200).nullish(),
  StudentId: z.string().max(64).nullish(),
  ContactId: z.string().max(64).nullish(),
  GroupId: z.string().max(64).nullish(),
});

/** "PL-10000.PC-10001" → ["10000", "10001"]: the MIS ids behind two IdaasIds. */
function splitComposite(id: string): [string, string] | null {
  const parts = id.split('.').map((part) => part.replace(/^[A-Za-z]+-/, ''));
  const [first, second] = parts;
  return parts.length === 2 && first && second ? [first, second] : null;
}

export function readDeleted(
  input: Record<string, unknown>,
  errors: IssueList,
  warnings: IssueList,
): Record<RecordKind, string[]> {
  const removed: Record<RecordKind, string[]> = {
    pupil: [],
    contact: [],
    link: [],
    group: [],
    membership: [],
    staff: [],
  };
  for (const [key, rows] of Object.entries(input)) {
    if (!key.endsWith('_deleted')) continue;
    if (!Array.isArray(rows)) {
      errors.add({
        where: pointer(key),
        code: 'not-a-list',
        message: `${key} must be a list of {"Id": …} records.`,
      });
      continue;
    }
    const kind = BY_ID[key];
    const pair = PAIRS[key];
    if (kind) {
      rows.forEach((row: unknown, index) => {
        const result = idRow.safeParse(row);
        if (result.success) removed[kind].push(result.data.Id);
        else errors.add(...zodIssues([key, index], result.error));
      });
    } else if (pair) {
      rows.forEach((row: unknown, index) => {
        const result = pairRow.safeParse(row);
        if (!result.success) {
          errors.add(...zodIssues([key, index], result.error));
          return;
        }
        const fields = result.data as Record<string, string | null | undefined>;
        const direct =
          fields[pair.first] && fields[pair.second] ? [fields[pair.first], fields[pair.second]] : null;
        const ids = direct ?? splitComposite(result.data.Id ?? '');
        const [first, second] = ids ?? [];
        if (!first || !second) {
          warnings.add({
            where: pointer(key, index),
            code: 'unmapped-deletion',
            message: `This ${key} entry names no two ids this server can match; it was ignored.`,
          });
          return;
        }
        removed[pair.kind].push(
          pair.kind === 'link'
            ? recordKey.link({ pupilId: first, contactId: second })
            : recordKey.membership({ groupId: first, pupilId: second }),
        );
      });
    } else if (rows.length > 0) {
      warnings.add({
        where: pointer(key),
        code: 'unmapped-deletion',
        message: `${key} is not used by this server; ${rows.length} entries were ignored.`,
      });
    }
  }
  return removed;
}
