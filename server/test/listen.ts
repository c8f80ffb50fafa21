import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppContext, AppEnv } from '../src/http/env.ts';
import { guardUpgrades } from '../src/http/upgrade.ts';
import type { SyncEngine } from '../src/sync/engine.ts';
import { SocketHub } from '../src/sync/socket-hub.ts';

/** The app and its sync hub on a free port of this machine, as main.ts wires them. */
export async function listenWithHub(
  app: Hono<AppEnv>,
  context: AppContext,
  engine: SyncEngine,
): Promise<{ readonly port: number; readonly close: () => Promise<void> }> {
  const hub = new SocketHub(context, engine);
  const http = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve) => {
    if (http.listening) resolve();
    else http.once('listening', resolve);
  });
  guardUpgrades(http, (request, socket, head) => hub.accept(request, socket, head));
  const { port } = http.address() as AddressInfo;
  return {
    port,
    close: async () => {
      hub.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => {
        http.close(() => {
          resolve();
        });
      });
    },
  };
}
