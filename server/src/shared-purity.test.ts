import { ESLint } from 'eslint';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const probe = join(root, 'shared', 'src', 'purity-probe.ts');
afterAll(() => {
  rmSync(probe, { force: true });
});

describe('the lint rule that keeps shared/ pure', () => {
  it('refuses Node built-ins, storage, frameworks and the apps', async () => {
    writeFileSync(
      probe,
      [
        "import { readFileSync } from 'node:fs';",
        "import Dexie from 'dexie';",
        "import { Hono } from 'hono';",
        "import { createApp } from '../../server/src/app.ts';",
        'export const reached = [readFileSync, Dexie, Hono, createApp];',
        '',
      ].join('\n'),
    );
    const [result] = await new ESLint({ cwd: root }).lintFiles([probe]);
    const messages = (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports');
    expect(messages.map((message) => message.line)).toEqual([1, 2, 3, 4]);
    expect(messages.every((message) => message.message.includes('shared/'))).toBe(true);
  }, 60_000);
});
