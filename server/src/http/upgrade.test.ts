import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { guardUpgrades } from './upgrade.ts';

let server: Server;
afterEach(() => {
  server.close();
});

/** A real WebSocket handshake request; resolves with the status the server answered. */
function upgrade(port: number, origin: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    };
    if (origin) headers.origin = origin;
    const req = request({ port, host: '127.0.0.1', path: '/sync', headers });
    req.on('response', (response) => {
      resolve(response.statusCode ?? 0);
    });
    req.on('upgrade', (response) => {
      resolve(response.statusCode ?? 101);
    });
    req.on('error', reject);
    req.end();
  });
}

async function listening(accept: () => boolean): Promise<number> {
  server = createServer();
  guardUpgrades(server, (_request, socket) => {
    if (!accept()) return false;
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
    return true;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('WebSocket upgrades', () => {
  it('are refused from another origin, or with none', async () => {
    const port = await listening(() => true);
    expect(await upgrade(port, 'https://evil.example')).toBe(403);
    expect(await upgrade(port, undefined)).toBe(403);
  });

  it('reach a handler from our own origin, and get 404 where none takes them', async () => {
    let accepts = true;
    const port = await listening(() => accepts);
    expect(await upgrade(port, `http://127.0.0.1:${port}`)).toBe(101);
    accepts = false;
    expect(await upgrade(port, `http://127.0.0.1:${port}`)).toBe(404);
  });
});
