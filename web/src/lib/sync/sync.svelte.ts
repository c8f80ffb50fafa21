import type { Me } from '$lib/services/auth';
import type { SyncClient } from './sync-client';
import { STARTING_STATUS, type SyncStatus } from './sync-status';

/**
 * The running sync client, if any, and its status for the screens. This module holds no Yjs: the
 * client is imported when someone signs in, after the first page has been shown.
 */
class SyncState {
  status = $state<SyncStatus>(STARTING_STATUS);
  isRunning = $state(false);
  /** Moves on whenever any document changes: screens that read documents depend on it. */
  revision = $state(0);
  #pendingBump = false;
  #client: SyncClient | null = null;
  #userId: number | null = null;
  #starting: Promise<void> | null = null;

  get client(): SyncClient | null {
    return this.#client;
  }

  begin(me: Me, onSessionEnded: () => void): Promise<void> {
    if (this.#userId === me.userId && (this.#client || this.#starting))
      return this.#starting ?? Promise.resolve();
    this.stop();
    this.#userId = me.userId;
    const userId = me.userId;
    this.#starting = import('./start')
      .then(({ startSync }) =>
        startSync(
          me,
          (status) => {
            if (this.#userId === userId) this.status = status;
          },
          onSessionEnded,
          () => {
            if (this.#userId === userId) this.#bump();
          },
        ),
      )
      .then((client) => {
        // Signed out (or someone else signed in) while it was starting: let it go.
        if (this.#userId !== userId) {
          client.stop();
          return;
        }
        this.#client = client;
        this.isRunning = true;
        this.revision++;
      })
      .catch((error: unknown) => {
        console.error('Sync could not start', error);
      })
      .finally(() => {
        this.#starting = null;
      });
    return this.#starting;
  }

  /** Many changes at once (a first sync) redraw the screens once. */
  #bump(): void {
    if (this.#pendingBump) return;
    this.#pendingBump = true;
    queueMicrotask(() => {
      this.#pendingBump = false;
      this.revision++;
    });
  }

  /** Stops syncing and forgets the status: before a wipe, or when nobody is signed in. */
  stop(): void {
    this.#client?.stop();
    this.#client = null;
    this.#userId = null;
    this.isRunning = false;
    this.status = STARTING_STATUS;
  }
}

export const sync = new SyncState();
