import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const dirs: string[] = [];
let server: ChildProcess | undefined;
afterEach(() => {
  server?.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The real server process, as `npm start` runs it; resolves with what it printed once it answers. */
async function start(env: Record<string, string>): Promise<{ port: number; output: () => string }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let printed = '';
  server = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
    // The server key beside (never inside) the data folder, the same one for every start of it.
    env: {
      ...process.env,
      SECRET_KEY_FILE: `${env.DATA_DIR ?? 'data'}.server-key.json`,
      ...env,
      PORT: String(port),
    },
  });
  server.stdout?.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  // Poll health: ready means answering, not merely started.
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok && printed.includes('running at')) {
        return { port, output: () => printed };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server did not start: ${printed}`);
}

function upgradeStatus(port: number, origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({
      port,
      host: '127.0.0.1',
      path: '/sync',
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        origin,
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    req.on('response', (response) => {
      resolve(response.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'schoolping-main-'));
  dirs.push(dir, `${dir}.server-key.json`);
  return dir;
}

describe('npm start', () => {
  it('loads the demo school once, prints its sign-ins each start, and guards socket upgrades', async () => {
    const dataDir = freshDir();
    const first = await start({ DATA_DIR: dataDir });
    const printed = first.output();
    expect(printed).toContain(`running at http://localhost:${first.port}/`);
    expect(printed).toContain('demo school loaded on this first run');
    expect(printed.match(/@\S+\s+[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}/g)).toHaveLength(5);
    // Labelled for what they are, with who each is, and the authenticator the demo's admins skip.
    expect(printed).toContain('These are passwords, not activation codes');
    expect(printed).toMatch(/who\s+email\s+password/);
    expect(printed).toContain('sign in without an authenticator app');
    expect(statSync(join(dataDir, 'demo-sign-ins.txt')).mode & 0o777).toBe(0o600);
    expect(await upgradeStatus(first.port, 'https://evil.example')).toBe(403);
    expect(await upgradeStatus(first.port, `http://127.0.0.1:${first.port}`)).toBe(401);
    // The demo arrived through the ingest path: its MIS sync reads ok from the first start.
    const health = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'bin', 'schoolping.js'), 'mis-status'],
      {
        env: { ...process.env, DATA_DIR: dataDir, SECRET_KEY_FILE: `${dataDir}.server-key.json` },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(health.stdout).toMatch(/^MIS sync: OK\./);
    server?.kill('SIGTERM');

    const again = await start({ DATA_DIR: dataDir });
    expect(again.output()).not.toContain('first run');
    expect(again.output()).toContain('Demo sign-ins');
  }, 60_000);

  it('will not start without the server key its database was sealed with, and says why', async () => {
    const dataDir = freshDir();
    await start({ DATA_DIR: dataDir });
    server?.kill('SIGTERM');
    const result = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        SECRET_KEY_FILE: join(freshDir(), 'elsewhere.json'),
        PORT: '0',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('was sealed with key k1');
  }, 60_000);

  it('runs as of SCHOOLPING_CLOCK, says so, and has the demo Year 6 left the day after their leave date', async () => {
    const dataDir = freshDir();
    const env = { DATA_DIR: dataDir, SCHOOLPING_CLOCK: '2027-07-24T09:00:00+01:00' };
    const started = await start(env);
    expect(started.output()).toContain('The clock is set by SCHOOLPING_CLOCK');
    expect(started.output()).toContain('2027-07-24T08:00:00.000Z');
    server?.kill('SIGTERM');
    const leavers = spawnSync(
      process.execPath,
      [join(import.meta.dirname, '..', 'bin', 'schoolping.js'), 'leavers', '--date', '2027-07-24', '--json'],
      {
        env: { ...process.env, ...env, SECRET_KEY_FILE: `${dataDir}.server-key.json` },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    const check = JSON.parse(leavers.stdout) as {
      pupils: { leavingDate: string; expected: string; actual: string | null }[];
    };
    const yearSix = check.pupils.filter((pupil) => pupil.leavingDate === '2027-07-23');
    expect(yearSix.length).toBeGreaterThan(50);
    expect(yearSix.every((pupil) => pupil.expected === 'leaver' && pupil.actual === 'leaver')).toBe(true);
  }, 60_000);

  it('starts empty with NO_DEMO=1', async () => {
    const started = await start({ DATA_DIR: freshDir(), NO_DEMO: '1' });
    expect(started.output()).not.toContain('Demo sign-ins');
    expect(started.output()).toContain('user-add');
  }, 60_000);
});
