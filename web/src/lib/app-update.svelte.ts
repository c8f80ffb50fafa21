import { activate } from './service-worker';

/**
 * A new version of the app, waiting to take over. It is applied only when the person presses
 * Update now, and then only once nothing made on this device is waiting to reach the server: the
 * reload must never come between a change and its sync.
 */
class AppUpdate {
  #worker = $state<ServiceWorker | null>(null);
  #isRequested = $state(false);

  get isAvailable(): boolean {
    return this.#worker !== null;
  }
  /** Pressed, and waiting for pending changes to be sent. */
  get isRequested(): boolean {
    return this.#isRequested;
  }

  offer(worker: ServiceWorker): void {
    this.#worker = worker;
  }

  request(): void {
    this.#isRequested = true;
  }

  /** Called whenever the count of changes waiting on this device moves: applies once it is zero. */
  proceedIf(pending: number): void {
    if (!this.#isRequested || pending > 0 || !this.#worker) return;
    const worker = this.#worker;
    this.#worker = null;
    activate(worker);
  }
}

export const appUpdate = new AppUpdate();
