import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The server's data folder for this run, made by playwright.config.ts. */
export function dataDir(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set: run the specs through e2e/playwright.config.ts.');
  return dir;
}

const root = join(import.meta.dirname, '..', '..');

/**
 * The command line against one of the run's servers' data folders, as a school's IT person runs
 * it, on that server's clock.
 */
export function runCli(args: readonly string[], dir: string = dataDir()): string {
  const clock = dir === process.env.E2E_YEAR_END_DATA_DIR ? process.env.E2E_YEAR_END_CLOCK : undefined;
  return execFileSync(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', ...args], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dir, ...(clock === undefined ? {} : { SCHOOLPING_CLOCK: clock }) },
    encoding: 'utf8',
  });
}

export interface DemoSignIn {
  readonly who: string;
  readonly email: string;
  readonly password: string;
}

export type DemoRole = 'School admin' | 'Payments admin' | 'Teacher' | 'Parent';

/** The sign-ins the server wrote beside its database on its first start with the demo school. */
export function demoSignIns(dir: string = dataDir()): DemoSignIn[] {
  return JSON.parse(readFileSync(join(dir, 'demo-sign-ins.txt'), 'utf8')) as DemoSignIn[];
}

export function demoSignIn(role: DemoRole, dir: string = dataDir()): DemoSignIn {
  const found = demoSignIns(dir).find((each) => each.who.startsWith(`${role}:`));
  if (!found) throw new Error(`No demo sign-in for ${role}`);
  return found;
}

/** The name shown for a demo sign-in: `who` reads "Teacher: Ann Example". */
export const nameOf = (signIn: DemoSignIn): string => signIn.who.slice(signIn.who.indexOf(':') + 1).trim();

export interface ActivationCode {
  readonly contact: string;
  readonly name: string;
  readonly email: string;
  readonly code: string;
}

/** Codes for every parent who has not activated, from the CLI as a school would print them. */
export function activationCodes(dir: string = dataDir()): ActivationCode[] {
  const csv = runCli(['activation-codes'], dir);
  const [header, ...rows] = parseCsv(csv);
  if (header?.join(',') !== 'contact,name,email,code') throw new Error(`Unexpected CSV header: ${csv}`);
  return rows.map(([contact = '', name = '', email = '', code = '']) => ({ contact, name, email, code }));
}

/** RFC 4180 as the CLI writes it: quoted cells may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let isQuoted = false;
  for (let at = 0; at < text.length; at++) {
    const char = text.charAt(at);
    if (isQuoted) {
      if (char === '"' && text[at + 1] === '"') {
        cell += '"';
        at++;
      } else if (char === '"') isQuoted = false;
      else cell += char;
    } else if (char === '"') isQuoted = true;
    else if (char === ',') {
      row.push(cell);
      cell = '';
    } else if (char === '\n') {
      rows.push([...row, cell.replace(/\r$/, '')]);
      row = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

/** A staff account made with the CLI, as a school admin would; returns its one-time code. */
export function addStaffAccount(name: string, email: string, role: string, dir: string = dataDir()): string {
  const out = runCli(['user-add', '--email', email, '--name', name, '--role', role], dir);
  const code = out.trim().split('\n').at(-1);
  if (!code) throw new Error(`No activation code in: ${out}`);
  return code;
}

/** The year-end server of this run (see playwright.config.ts): the demo on its year-6 leave date. */
export const yearEnd = {
  get baseURL(): string {
    return `http://localhost:${process.env.E2E_YEAR_END_PORT ?? '4174'}`;
  },
  get dataDir(): string {
    const dir = process.env.E2E_YEAR_END_DATA_DIR;
    if (!dir)
      throw new Error('E2E_YEAR_END_DATA_DIR is not set: run the specs through e2e/playwright.config.ts.');
    return dir;
  },
  /** The demo's year-6 leave date: the server's clock reads this morning. */
  leaveDate: '2027-07-23',
};
