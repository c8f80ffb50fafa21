import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoSchool } from '@schoolping/shared';
import { killAndWait } from '../test/processes.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db/database.ts';
import { loadOrCreateKeyring } from './secrets/keyring.ts';
import { createSchool } from './db/school-store.ts';
import { rotateIngestKey } from './ingest/core/keys.ts';
import { toXporterPayload } from './ingest/xporter/demo-feed.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'schoolping-crash-'));
const keyDir = mkdtempSync(join(tmpdir(), 'schoolping-crash-key-'));
const keyFile = join(keyDir, 'server-key.json');
const port = 20_000 + Math.floor(Math.random() * 20_000);
let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(keyDir, { recursive: true, force: true });
});

/** The school's ingest key. */
let key = '';
beforeAll(() => {
  const setup = openDatabase(dataDir, loadOrCreateKeyring(keyFile, dataDir, new Date()).keyring);
  const school = createSchool(setup, demoSchool({ size: 'secondary' }).mis.school, new Date());
  key = rotateIngestKey(setup, school.id, new Date());
  setup.close();
});

/** Lines the server has logged that say it began writing a feed. */
let applying = 0;
const APPLYING = /ingest: applying a xporter feed/g;

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), SECRET_KEY_FILE: keyFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr.on('data', (chunk: Buffer) => {
    applying += chunk.toString().match(APPLYING)?.length ?? 0;
  });
  // Poll health: the server is ready when it answers, not when the process starts.
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not start');
}

function push(key: string, body: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}/api/mis/xporter`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
  });
}

/** Forenames stored now, read through a separate connection as an outsider would. */
function storedForenames(): string[] {
  const db = new Database(join(dataDir, 'schoolping.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const rows = db.prepare("SELECT data FROM mis_records WHERE kind = 'pupil' ORDER BY mis_id").all() as {
      data: string;
    }[];
    return rows.map((row) => (JSON.parse(row.data) as { forename: string }).forename);
  } finally {
    db.close();
  }
}

describe('a server killed in the middle of an ingest', () => {
  it('keeps the previous roster whole (or the new one whole), and the file passes integrity_check', async () => {
    const { mis } = demoSchool({ size: 'secondary' });
    const before = toXporterPayload(mis);
    server = await startServer();
    expect((await push(key, JSON.stringify(before))).status).toBe(200);
    const original = storedForenames();
    expect(original).toHaveLength(mis.pupils.length);

    const renamed = {
      ...before,
      Students: (before.Students as { Forename: string }[]).map((s) => ({
        ...s,
        Forename: `${s.Forename}-B`,
      })),
    };
    const changed = JSON.stringify(renamed);
    let killedWhileApplying = 0;
    for (let attempt = 0; attempt < 4; attempt++) {
      const before = applying;
      const request = push(key, changed).catch(() => null);
      // Kill only once the server says it has read the feed and begun writing it.
      while (applying === before) await new Promise((resolve) => setTimeout(resolve, 1));
      await killAndWait(server);
      if ((await request) === null) killedWhileApplying++;
      const after = storedForenames();
      const isOld = after.every((name, index) => name === original[index]);
      const isNew = after.every((name, index) => name === `${original[index] ?? ''}-B`);
      expect(after).toHaveLength(original.length);
      expect(isOld || isNew).toBe(true);
      if (isNew) break;
      server = await startServer();
    }
    // At least one kill landed after the feed was read and before the server could answer.
    expect(killedWhileApplying).toBeGreaterThan(0);
    await killAndWait(server);
    server = await startServer();
    expect((await fetch(`http://127.0.0.1:${port}/api/health`)).ok).toBe(true);
  }, 60_000);
});

describe('a server asked to stop (SIGTERM) in the middle of an ingest', () => {
  it('finishes the feed, answers it, closes the database cleanly and exits 0', async () => {
    await killAndWait(server);
    server = await startServer();
    const { mis } = demoSchool({ size: 'secondary' });
    const payload = toXporterPayload(mis);
    const renamed = {
      ...payload,
      Students: (payload.Students as { Forename: string }[]).map((s) => ({
        ...s,
        Forename: `${s.Forename}-C`,
      })),
    };
    const before = applying;
    const request = push(key, JSON.stringify(renamed));
    // Stop it only once it says it has read the feed and begun writing it.
    while (applying === before) await new Promise((resolve) => setTimeout(resolve, 1));
    const exited = new Promise<string>((resolve) =>
      server?.once('exit', (code, signal) => {
        resolve(`${String(code)} ${String(signal)}`);
      }),
    );
    server.kill('SIGTERM');
    const response = await request;
    expect(response.status).toBe(200);
    expect(await exited).toBe('0 null');
    expect(storedForenames().every((name) => name.endsWith('-C'))).toBe(true);
  }, 60_000);
});
