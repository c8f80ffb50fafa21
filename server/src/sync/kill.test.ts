import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom, type DocListing, type Intent, type Verdict } from '@schoolping/shared';
import WebSocket from 'ws';
import { killAndWait } from '../../test/processes.ts';
import { afterAll, expect, it } from 'vitest';
import { SyncClient, type SocketLike } from '../../../web/src/lib/sync/sync-client.ts';
import { memoryDocStorage } from '../../test/memory-doc-storage.ts';
import { until } from '../../test/sync-clients.ts';

/*
 * The real server process, killed with SIGKILL at 20 random points while a client keeps 2,000
 * intents coming: after each restart every intent the client saw a verdict for is in the database
 * with that verdict, and the file passes SQLite's integrity check. KILL_SEED=<n> replays the points.
 */

const dataDir = mkdtempSync(join(tmpdir(), 'schoolping-kill-'));
const keyDir = mkdtempSync(join(tmpdir(), 'schoolping-kill-key-'));
const keyFile = join(keyDir, 'server-key.json');
const port = 20_000 + Math.floor(Math.random() * 20_000);
const origin = `http://127.0.0.1:${port}`;
const SEED = Number(process.env.KILL_SEED ?? Math.floor(Math.random() * 2 ** 31));
const INTENTS = 2000;
const KILLS = 20;
let server: ChildProcess | undefined;
afterAll(() => {
  server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(keyDir, { recursive: true, force: true });
});

async function startServer(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'main.ts')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SECRET_KEY_FILE: keyFile,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  for (let attempt = 0; attempt < 400; attempt++) {
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the server did not start');
}

/** What the database holds now, read by a separate connection, after its integrity check. */
function storedVerdicts(): Map<string, string> {
  const db = new Database(join(dataDir, 'schoolping.sqlite'));
  try {
    expect(db.pragma('integrity_check', { simple: true }), `KILL_SEED=${SEED}`).toBe('ok');
    const rows = db.prepare('SELECT id, verdict FROM intents').all() as { id: string; verdict: string }[];
    return new Map(rows.map((row) => [row.id, row.verdict]));
  } finally {
    db.close();
  }
}

it(`loses nothing acknowledged across ${KILLS} SIGKILLs during ${INTENTS} intents (KILL_SEED=${SEED})`, async () => {
  server = await startServer();
  const teacher = (
    JSON.parse(readFileSync(join(dataDir, 'demo-sign-ins.txt'), 'utf8')) as {
      who: string;
      email: string;
      password: string;
    }[]
  ).find((each) => each.who.startsWith('Teacher'));
  if (!teacher) expect.fail('the demo has a teacher');
  const signIn = await fetch(`${origin}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin },
    body: JSON.stringify({ email: teacher.email, password: teacher.password }),
  });
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const docs = (
    (await (await fetch(`${origin}/api/sync/docs`, { headers: { cookie } })).json()) as { docs: DocListing[] }
  ).docs;
  const outbox = docs.find((each) => each.kind === 'outbox') ?? expect.fail('an outbox');
  const setup = new Database(join(dataDir, 'schoolping.sqlite'), { readonly: true });
  const classId = setup
    .prepare(
      "SELECT mis_id FROM mis_records WHERE kind = 'group' AND json_extract(data, '$.kind') = 'registration' LIMIT 1",
    )
    .pluck()
    .get() as string;
  const authorId = String(setup.prepare('SELECT id FROM users WHERE email = ?').pluck().get(teacher.email));
  setup.close();

  const client = new SyncClient({
    listings: [outbox],
    storage: memoryDocStorage(),
    openSocket: () =>
      new WebSocket(`ws://127.0.0.1:${port}/sync`, { headers: { cookie, origin } }) as unknown as SocketLike,
    exchange: () => Promise.reject(new Error('sockets only here')),
    onStatus: () => undefined,
    onSessionEnded: () => undefined,
    random: () => 0.05,
  });
  await client.start();
  const verdicts = (): Map<string, Verdict> =>
    new Map(client.doc(outbox.name)?.getMap<Verdict>('verdicts').entries() ?? []);

  const random = new SeededRandom(SEED);
  const killAt = Array.from({ length: KILLS }, () => random.int(1, INTENTS - 1)).sort((a, b) => a - b);
  let submitted = 0;
  const submitUpTo = (count: number): void => {
    for (; submitted < Math.min(count, INTENTS); submitted++) {
      const intent: Intent = {
        id: `kill-${SEED}-${submitted}`,
        author: authorId,
        device: 'kill-test',
        createdAt: new Date().toISOString(),
        type: 'message-send',
        payload: {
          messageId: `kill-${SEED}-${submitted}`,
          subject: `Note ${submitted}`,
          body: 'x',
          audience: { kind: 'groups', groupIds: [classId] },
        },
      };
      client.submit(intent);
    }
  };

  for (const [index, point] of killAt.entries()) {
    // Keep intents in flight past the kill point, so the kill lands among them.
    submitUpTo(point + 30);
    await until(() => verdicts().size >= point, `verdict ${point} (KILL_SEED=${SEED})`, 60_000);
    await killAndWait(server);
    const acknowledged = verdicts();
    const kept = storedVerdicts();
    for (const [id, verdict] of acknowledged) {
      expect(kept.get(id), `intent ${id} after kill ${index + 1} (KILL_SEED=${SEED})`).toBe(
        JSON.stringify(verdict),
      );
    }
    server = await startServer();
  }
  submitUpTo(INTENTS);
  await until(() => verdicts().size === INTENTS, `all ${INTENTS} verdicts (KILL_SEED=${SEED})`, 120_000);
  expect([...verdicts().values()].every((verdict) => verdict.status === 'accepted')).toBe(true);
  client.stop();
  await killAndWait(server);
  expect(storedVerdicts().size).toBeGreaterThanOrEqual(INTENTS);
}, 600_000);
