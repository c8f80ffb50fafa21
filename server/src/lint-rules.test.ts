import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The lint rules that keep the structure honest, shown failing on code written for the purpose.
 * The code is linted in memory, as if it stood at the path given: nothing is written into src/.
 */

const root = join(import.meta.dirname, '..', '..');
const RULES = new Set([
  'no-restricted-syntax',
  'no-restricted-imports',
  'no-restricted-globals',
  'no-restricted-properties',
  'schoolping/no-import-cycle',
]);
const eslint = new ESLint({
  cwd: root,
  // Only the structural rules: the type-aware ones need a file on disk in a project.
  ruleFilter: ({ ruleId }) => RULES.has(ruleId),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
});

async function lint(
  path: string,
  lines: readonly string[],
): Promise<{ rule: string | null; line: number; message: string }[]> {
  const [result] = await eslint.lintText([...lines, ''].join('\n'), { filePath: join(root, path) });
  return (result?.messages ?? []).map((message) => ({
    rule: message.ruleId,
    line: message.line,
    message: message.message,
  }));
}

describe('the lint rules', () => {
  it('keep shared/ pure: no Node built-ins, storage, frameworks, apps or test support', async () => {
    const found = await lint('shared/src/purity-probe.ts', [
      "import { readFileSync } from 'node:fs';",
      "import Dexie from 'dexie';",
      "import { Hono } from 'hono';",
      "import { createApp } from '../../server/src/app.ts';",
      "import fc from 'fast-check';",
      'export const reached = [readFileSync, Dexie, Hono, createApp, fc];',
    ]);
    expect(found.filter((each) => each.rule === 'no-restricted-imports').map((each) => each.line)).toEqual([
      1, 2, 3, 4, 5,
    ]);
  }, 60_000);

  it('keep shared/ free of the clock, the network, the process and timers', async () => {
    const found = await lint('shared/src/purity-probe.ts', [
      'export const now = Date.now();',
      "export const answer = fetch('https://example.org');",
      'export const env = process.env;',
      'export const id = crypto.randomUUID();',
      'setTimeout(() => undefined, 1);',
    ]);
    expect(found.filter((each) => each.rule?.startsWith('no-restricted')).map((each) => each.line)).toEqual([
      1, 2, 3, 4, 5,
    ]);
  }, 60_000);

  it('refuse test support in product code, but not in tests', async () => {
    const product = await lint('server/src/ingest/probe.ts', [
      "import { tempDatabase } from '../../test/temp-database.ts';",
      "import { describe } from 'vitest';",
      'export const used = [tempDatabase, describe];',
    ]);
    expect(product.filter((each) => each.rule === 'no-restricted-imports').map((each) => each.line)).toEqual([
      1, 2,
    ]);
    const test = await lint('server/src/ingest/probe.test.ts', [
      "import { tempDatabase } from '../../test/temp-database.ts';",
      'export const used = [tempDatabase];',
    ]);
    expect(test.filter((each) => each.rule === 'no-restricted-imports')).toEqual([]);
  }, 60_000);

  it('keep SQL out of the sync engine: it reaches storage only through the SyncStore', async () => {
    const found = await lint('server/src/sync/probe.ts', [
      "import type { Db } from '../db/database.ts';",
      "import { sqliteSyncStore } from '../db/sync-store/sqlite.ts';",
      "import type { SyncStore } from '../db/sync-store/store.ts';",
      'export function probe(db: Db, store: SyncStore): unknown {',
      "  db.pragma('wal_checkpoint(TRUNCATE)');",
      "  return [sqliteSyncStore, store, db.prepare('SELECT 1').get()];",
      '}',
    ]);
    expect(found.filter((each) => each.rule?.startsWith('no-restricted')).map((each) => each.line)).toEqual([
      1, 2, 5, 6,
    ]);
    const intents = await lint('server/src/intents/probe.ts', [
      "export const probe = (db: { exec(sql: string): void }) => db.exec('DELETE FROM intents');",
    ]);
    expect(intents.map((each) => each.rule)).toContain('no-restricted-syntax');
  }, 60_000);

  it('refuse an import cycle, type imports included', async () => {
    // status.ts importing table.ts, which imports status.ts.
    const found = await lint('server/src/ingest/oneroster/status.ts', [
      "import type { Table } from './table.ts';",
      'export type Probe = Table;',
    ]);
    const cycle = found.find((each) => each.rule === 'schoolping/no-import-cycle');
    expect(cycle?.message).toBe(
      'Import cycle: server/src/ingest/oneroster/status.ts → server/src/ingest/oneroster/table.ts → server/src/ingest/oneroster/status.ts',
    );
  }, 60_000);
});
