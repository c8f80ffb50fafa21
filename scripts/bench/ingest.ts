import { demoSchool } from '@schoolping/shared';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../server/src/db/database.ts';
import { ephemeralKeyring } from '../../server/src/secrets/keyring.ts';
import { createSchool } from '../../server/src/db/school-store.ts';
import { ingestBatch } from '../../server/src/ingest/core/ingest.ts';
import { toXporterPayload } from '../../server/src/ingest/xporter/demo-feed.ts';
import { parseXporter } from '../../server/src/ingest/xporter/parse.ts';
import type { Bench } from './measure.ts';

/** The 2,000-pupil school as one XoD JSON snapshot, through the real ingest path into SQLite. */
export function ingestBenches(): Bench[] {
  const { mis } = demoSchool({ size: 'secondary' });
  const text = JSON.stringify(toXporterPayload(mis));
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'schoolping-bench-')), ephemeralKeyring());
  let schools = 0;
  const newSchool = () =>
    createSchool(db, { name: 'Bench', estab: String(2_000_000 + ++schools) }, new Date());
  const now = new Date('2026-11-10T10:00:00Z');

  const ingest = (school: ReturnType<typeof newSchool>): string => {
    const parsed = parseXporter(JSON.parse(text));
    if (!parsed.ok) throw new Error('the bench snapshot must be valid');
    return ingestBatch(db, school, parsed.batch, 'xporter', now).outcome;
  };
  // The baseline: parse the same JSON and insert every record of it, as is, in one transaction.
  const insert = db.prepare('INSERT INTO mis_records (school_id, kind, mis_id, data) VALUES (?, ?, ?, ?)');
  const baseline = (): number => {
    const school = newSchool();
    const payload = JSON.parse(text) as Record<string, Record<string, unknown>[]>;
    let rows = 0;
    db.transaction(() => {
      for (const [dataset, records] of Object.entries(payload)) {
        records.forEach((record, index) => {
          insert.run(school.id, 'pupil', `${dataset}:${index}`, JSON.stringify(record));
          rows++;
        });
      }
    })();
    return rows;
  };
  const steady = newSchool();
  ingest(steady);
  const size = `${(text.length / 1024 / 1024).toFixed(1)} MB of JSON: ${mis.pupils.length} pupils, ${mis.contacts.length} contacts, ${mis.links.length} links, ${mis.groups.length} groups, ${mis.staff.length} staff`;
  return [
    {
      name: 'ingest a full XoD snapshot, 2,000-pupil school',
      baselineName: 'JSON.parse + insert the same records in one transaction',
      note: `${size}. Validation, translation, merge against the stored roster, write, run record and the daily job's roster pass. Target at most 3×.`,
      runs: 7,
      subject: () => ingest(newSchool()),
      baseline,
    },
    {
      name: 're-ingest the unchanged snapshot',
      baselineName: 'JSON.parse + insert the same records in one transaction',
      note: 'The same snapshot again into a school that already holds it: parsed and checked in full, then recognised by the digest of its checked records, so nothing is merged or written but the run record. Target at most 1×.',
      runs: 7,
      subject: () => ingest(steady),
      baseline,
    },
    {
      name: 're-ingest the unchanged snapshot through the merge',
      baselineName: 'JSON.parse + insert the same records in one transaction',
      note: 'As above with the digest forgotten first: every stored record loaded and compared with the feed, nothing written. What a snapshot with a few changes costs.',
      runs: 7,
      subject: () => {
        db.prepare('UPDATE schools SET last_batch_digest = NULL WHERE id = ?').run(steady.id);
        return ingest(steady);
      },
      baseline,
    },
  ];
}
