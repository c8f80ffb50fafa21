import type { ChildProcess } from 'node:child_process';

/** Kills a server process with SIGKILL and waits until it has gone, so the next can take its port. */
export async function killAndWait(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}
