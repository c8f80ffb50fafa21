/**
 * Benchmarks, reported as ratios against a baseline measured in the same process, so the figures
 * mean the same on a slow CI machine as on a fast laptop. Writes docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { measure, type Measurement } from './bench/measure.ts';
import { feedBench } from './bench/feeds.ts';
import { ingestBenches } from './bench/ingest.ts';
import { rosterBench } from './bench/roster.ts';
import { syncFigures } from './bench/sync.ts';

interface Row {
  readonly name: string;
  readonly subject: Measurement;
  readonly baseline: Measurement;
  readonly baselineName: string;
  readonly note: string;
}

const rows: Row[] = [];
for (const bench of [rosterBench(), ...ingestBenches()]) {
  const baseline = measure(bench.baseline, bench.runs);
  const subject = measure(bench.subject, bench.runs);
  rows.push({ name: bench.name, subject, baseline, baselineName: bench.baselineName, note: bench.note });
  console.log(`${bench.name}: ${(subject.medianMs / baseline.medianMs).toFixed(1)}× baseline`);
}

const feed = await feedBench();
rows.push({
  name: feed.name,
  subject: { medianMs: feed.subjectMs, runs: 3 },
  baseline: { medianMs: feed.baselineMs, runs: 3 },
  baselineName: feed.baselineName,
  note: feed.note,
});
console.log(`${feed.name}: ${(feed.subjectMs / feed.baselineMs).toFixed(1)}× baseline`);

const sync = await syncFigures();
for (const figure of sync)
  console.log(`${figure.name}: ${figure.ratio.toFixed(2)}× (target ${figure.target})`);

const ms = (value: number): string => `${value.toFixed(2)} ms`;
const lines = [
  '# Benchmarks',
  '',
  'Written by `npm run bench`. Each figure is the median of several runs; the ratio compares it with',
  'a baseline measured in the same process, which is the number to watch between releases.',
  '',
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| benchmark | median | baseline | baseline median | ratio |',
  '| --- | --- | --- | --- | --- |',
  ...rows.map(
    (row) =>
      `| ${row.name} | ${ms(row.subject.medianMs)} | ${row.baselineName} | ${ms(row.baseline.medianMs)} | ${(row.subject.medianMs / row.baseline.medianMs).toFixed(1)}× |`,
  ),
  '',
  ...rows.map((row) => `- **${row.name}**: ${row.note}`),
  '',
  '## Sync',
  '',
  'Figures from one run of the sync engine on the 2,000-pupil school, each against its own yardstick.',
  '',
  '| figure | measured | ratio | target |',
  '| --- | --- | --- | --- |',
  ...sync.map(
    (figure) => `| ${figure.name} | ${figure.value} | ${figure.ratio.toFixed(2)}× | ${figure.target} |`,
  ),
  '',
  ...sync.map((figure) => `- **${figure.name}**: ${figure.note}`),
  '',
  'The login storm against Hocuspocus and the y-websocket server is in `docs/peerbench.md` (`bash scripts/peerbench.sh`: it installs the harness, so it runs apart from this script).',
  '',
  '## The request thread during a long feed',
  '',
  'The event loop of the thread that answers requests, ticking every 2 ms while the feed above runs.',
  'The baseline does its work on that thread, so its stall is its whole duration.',
  '',
  '| | longest stall |',
  '| --- | --- |',
  `| the 100,000-row feed, through the ingest worker | ${ms(feed.subjectStallMs)} (target under 50 ms) |`,
  `| the baseline, on the request thread | ${ms(feed.baselineStallMs)} |`,
  '',
  `The worker holds SQLite's write lock for ${ms(feed.writeLockMs)} while it applies the feed (the`,
  "ingest transaction's own time, from its run record); a write from the request thread in that",
  'window (an audit row, a session touch) waits for it. Reads never wait (WAL).',
  '',
];
writeFileSync(join(import.meta.dirname, '..', 'docs', 'benchmarks.md'), lines.join('\n'));
console.log('Wrote docs/benchmarks.md');
