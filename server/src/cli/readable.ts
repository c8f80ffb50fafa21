import type { LeaversCheck, SchoolSummary } from '@schoolping/shared';
import type { ChangeEntry } from '../ingest/core/daily.ts';
import type { SyncHealth } from '../ingest/core/sync-health.ts';
import { table } from './output.ts';

/* How each report reads to a person at a terminal; --json gives the same data whole. */

export function schoolsTable(schools: readonly SchoolSummary[]): string {
  if (schools.length === 0) return 'There is no school yet.';
  return table(
    ['id', 'school', 'estab', 'as of', 'pupils', 'contacts', 'classes'],
    schools.map((school) => [
      String(school.id),
      school.name,
      school.estab,
      school.asOf,
      String(school.counts.pupils),
      String(school.counts.contacts),
      String(school.counts.classes),
    ]),
  );
}

const STATUS_WORDS = { ok: 'OK', late: 'LATE', failing: 'FAILING' } as const;

export function healthText(health: SyncHealth): string {
  const lines = [
    `MIS sync: ${STATUS_WORDS[health.status]}. ${health.summary}`,
    `Last good sync: ${health.lastGoodSync ?? 'never'}; late after ${health.lateAfterHours} hours without one.`,
  ];
  if (health.heldSnapshots > 0)
    lines.push(`Held snapshots waiting for a decision: ${health.heldSnapshots} (see \`held\`).`);
  if (health.likelyCauses.length > 0)
    lines.push('', 'Likely causes:', ...health.likelyCauses.map((cause) => `  - ${cause}`));
  if (health.nextSteps.length > 0)
    lines.push('', 'What to do next:', ...health.nextSteps.map((step, i) => `  ${i + 1}. ${step}`));
  return lines.join('\n');
}

const FLAG_WORDS: Record<string, string> = {
  'parent-still-active': 'contact still active',
  'parent-marked-leaver-while-sibling-stays': 'marked leaver, a sibling stays',
  'pupil-still-active': 'pupil still active',
};
const word = (status: string | null): string => status ?? 'not applied yet';

/**
 * The year-end leavers check as a table: one row per leaver and one per contact beneath, anything
 * not as expected first, with a column saying what.
 */
export function leaversTable(check: LeaversCheck, className: (pupilId: string) => string): string {
  const ordered = [...check.pupils].sort(
    (a, b) =>
      Number(b.flag !== null || b.contacts.some((c) => c.flag !== null)) -
      Number(a.flag !== null || a.contacts.some((c) => c.flag !== null)),
  );
  const rows: string[][] = [];
  for (const pupil of ordered) {
    rows.push([
      pupil.flag ? '!' : '',
      pupil.name,
      className(pupil.misId),
      pupil.leavingDate,
      pupil.expected,
      word(pupil.actual),
      pupil.flag ? (FLAG_WORDS[pupil.flag] ?? pupil.flag) : '',
    ]);
    for (const contact of pupil.contacts) {
      rows.push([
        contact.flag ? '!' : '',
        `  ${contact.name} (${contact.relationship})`,
        '',
        '',
        contact.expected,
        word(contact.actual),
        contact.flag ? (FLAG_WORDS[contact.flag] ?? contact.flag) : '',
      ]);
    }
  }
  const heading = `Leavers check for ${check.date}: ${check.pupils.length} leavers, ${check.flagged} not as expected.`;
  if (rows.length === 0) return `${heading}\nNobody leaves by that date.`;
  return `${heading}\n\n${table(['', 'leaver / contact', 'class', 'leaves', 'expected', 'applied', 'not as expected'], rows)}`;
}

export function changesTable(changes: readonly ChangeEntry[]): string {
  if (changes.length === 0) return 'No changes.';
  return table(
    ['day', 'change', 'who', 'id', 'detail'],
    changes.map((entry) => [
      entry.day,
      entry.change,
      entry.kind,
      entry.misId,
      Object.entries(entry.detail)
        .filter(([, value]) => value !== null)
        .map(([key, value]) => `${key}: ${String(value)}`)
        .join(', '),
    ]),
  );
}
