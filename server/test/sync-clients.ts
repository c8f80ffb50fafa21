import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import type { SyncServer } from './sync-server.ts';

/** Stock y-websocket providers against a test sync server, destroyed together. */
export class SyncClients {
  readonly #server: SyncServer;
  readonly #providers: WebsocketProvider[] = [];

  constructor(server: SyncServer) {
    this.#server = server;
  }

  connect(cookie: string, name: string, doc = new Y.Doc()): { provider: WebsocketProvider; doc: Y.Doc } {
    const provider = new WebsocketProvider(`${this.#server.url}/sync`, name, doc, {
      // The polyfill's type is the DOM's WebSocket; ws's class stands in for it in Node.
      WebSocketPolyfill: this.#server.socketClass(cookie) as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 200,
    });
    this.#providers.push(provider);
    return { provider, doc };
  }

  destroy(): void {
    for (const provider of this.#providers.splice(0)) provider.destroy();
  }
}

export function synced(provider: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    if (provider.synced) resolve();
    else
      provider.once('sync', () => {
        resolve();
      });
  });
}

export function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}
