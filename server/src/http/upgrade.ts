import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { isSameOriginUpgrade } from './csrf.ts';

/**
 * Every WebSocket upgrade must come from one of our pages: a socket carries the session cookie,
 * and the browser does not stop another site from opening one. Refused upgrades are answered and
 * closed before any handler sees them; routes that accept sockets are registered with `accept`.
 */
export function guardUpgrades(
  server: Server,
  accept: (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean = () => false,
): void {
  server.prependListener('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isSameOriginUpgrade({ origin: request.headers.origin, host: request.headers.host })) {
      refuse(socket, 403, 'Forbidden');
      return;
    }
    if (!accept(request, socket, head)) refuse(socket, 404, 'Not Found');
  });
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
