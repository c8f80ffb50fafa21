import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** A server of a spec's own, on its own data folder and clock: for stories that move time. */
export interface OwnServer {
  readonly baseURL: string;
  readonly dataDir: string;
  /** Stops it and starts it again on the same data, with the clock reading `clock`. */
  restartAt(clock: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startOwnServer(
  port: number,
  clock: string,
  env: Readonly<Record<string, string>> = {},
): Promise<OwnServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'schoolping-e2e-own-'));
  const keyFile = join(mkdtempSync(join(tmpdir(), 'schoolping-e2e-own-key-')), 'server-key.json');
  const baseURL = `http://localhost:${String(port)}`;
  let child: ChildProcess | null = null;

  async function start(at: string): Promise<void> {
    const started = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        DATA_DIR: dataDir,
        SECRET_KEY_FILE: keyFile,
        SCHOOLPING_CLOCK: at,
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child = started;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`The server exited with ${String(started.exitCode)}`);
      const healthy = await fetch(`${baseURL}/api/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return;
      if (Date.now() > deadline) throw new Error('The server did not start within a minute');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function stop(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }

  await start(clock);
  return {
    baseURL,
    dataDir,
    async restartAt(at) {
      await stop();
      await start(at);
    },
    stop,
  };
}
