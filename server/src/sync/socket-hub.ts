import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { AppContext } from '../http/env.ts';
import { resolveSession, type SignedIn } from '../http/session.ts';
import type { Written } from './documents.ts';
import type { SyncEngine } from './engine.ts';
import {
  EMPTY_AWARENESS,
  readMessage,
  step1Message,
  step2Message,
  updateMessage,
  type Bytes,
} from './wire.ts';
import type { DocRef } from '@schoolping/shared';

/** Largest frame a client may send: an outbox of intents is small; anything near this is not. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Frames a connection may send in a burst, and how many more it earns each second. */
const BURST = 200;
const PER_SECOND = 50;
/** How often every open socket's session is checked again, besides at each frame. */
const SESSION_SWEEP_MS = 15_000;

/** Close codes in the private range: the client knows why and whether to try again. */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_REFUSED = 4400;
export const CLOSE_TOO_FAST = 4429;

interface Connection {
  readonly socket: WebSocket;
  readonly cookie: string;
  readonly userId: number;
  readonly name: string;
  readonly ref: DocRef;
  tokens: number;
  refilledAt: number;
}

/**
 * `/sync/<document>`: one document per socket, in the stock y-websocket wire format, so
 * `new WebsocketProvider(url + '/sync', name, doc)` works unchanged. The session is checked at the
 * upgrade, at every frame and every 15 seconds; nothing is read before it is; every frame is for
 * the one document the socket was opened for.
 */
export class SocketHub {
  readonly #context: AppContext;
  readonly #engine: SyncEngine;
  readonly #server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: true,
  });
  readonly #subscribers = new Map<string, Set<Connection>>();
  readonly #sweep: NodeJS.Timeout;
  #isClosed = false;

  constructor(context: AppContext, engine: SyncEngine) {
    this.#context = context;
    this.#engine = engine;
    this.#sweep = setInterval(() => {
      this.#checkSessions();
    }, SESSION_SWEEP_MS);
    this.#sweep.unref();
  }

  /** For the upgrade gate: takes the sockets for /sync/<name>, answers the others' refusals. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (this.#isClosed) return false;
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/sync/')) return false;
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice('/sync/'.length));
    } catch {
      refuse(socket, 404, 'Not Found');
      return true;
    }
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    const signedIn = this.#signedIn(cookie);
    if (!signedIn || cookie === undefined) {
      refuse(socket, 401, 'Unauthorized');
      return true;
    }
    const opened = this.#engine.open(signedIn.principal, name);
    if (!opened.ok) {
      refuse(
        socket,
        opened.reason === 'forbidden' ? 403 : 404,
        opened.reason === 'forbidden' ? 'Forbidden' : 'Not Found',
      );
      return true;
    }
    this.#broadcast(opened.written);
    this.#server.handleUpgrade(request, socket, head, (ws) => {
      this.#connect(ws, { cookie, userId: signedIn.user.id, name, ref: opened.ref });
    });
    return true;
  }

  #signedIn(cookie: string | undefined): SignedIn | null {
    const signedIn = resolveSession(this.#context, cookie);
    // A session still waiting for its authenticator set-up may not sync anything yet.
    return signedIn && !signedIn.session.needsMfaSetup ? signedIn : null;
  }

  #connect(socket: WebSocket, details: Pick<Connection, 'cookie' | 'userId' | 'name' | 'ref'>): void {
    const connection: Connection = { socket, ...details, tokens: BURST, refilledAt: Date.now() };
    let subscribers = this.#subscribers.get(details.name);
    if (!subscribers) {
      subscribers = new Set();
      this.#subscribers.set(details.name, subscribers);
    }
    subscribers.add(connection);
    socket.on('message', (data, isBinary) => {
      this.#receive(connection, data, isBinary);
    });
    socket.on('close', () => {
      this.#unsubscribe(connection);
    });
    socket.on('error', () => {
      socket.terminate();
    });
    send(socket, step1Message(this.#engine.documents.stateVector(details.name)));
  }

  #unsubscribe(connection: Connection): void {
    const subscribers = this.#subscribers.get(connection.name);
    subscribers?.delete(connection);
    if (subscribers?.size === 0) this.#subscribers.delete(connection.name);
  }

  #receive(connection: Connection, data: RawData, isBinary: boolean): void {
    const { socket } = connection;
    // Frames already read when the hub closed are not answered: the database may be closing too.
    if (this.#isClosed) return;
    if (!this.#withinRate(connection)) {
      this.#context.log(`sync: closed a socket of user ${connection.userId} sending too fast`);
      socket.close(CLOSE_TOO_FAST, 'too many messages');
      return;
    }
    const signedIn = this.#signedIn(connection.cookie);
    if (!signedIn || signedIn.user.id !== connection.userId) {
      socket.close(CLOSE_SESSION_ENDED, 'session ended');
      return;
    }
    if (!isBinary || !Buffer.isBuffer(data)) {
      this.#refuse(connection, 'a frame that is not binary');
      return;
    }
    let message: ReturnType<typeof readMessage>;
    try {
      message = readMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    } catch {
      this.#refuse(connection, 'a frame that is not a sync message');
      return;
    }
    switch (message.kind) {
      case 'step1': {
        let diff: Uint8Array;
        try {
          diff = this.#engine.documents.diff(connection.name, message.stateVector);
        } catch {
          this.#refuse(connection, 'a state vector that cannot be read');
          return;
        }
        send(socket, step2Message(diff));
        return;
      }
      case 'update': {
        let result: ReturnType<SyncEngine['receiveUpdate']>;
        try {
          result = this.#engine.receiveUpdate(signedIn, connection.name, connection.ref, message.update);
        } catch (error) {
          this.#context.log(`sync: failed on an update to ${connection.name}: ${String(error)}`);
          socket.close(1011, 'server error');
          return;
        }
        if (result.kind === 'refused') this.#refuse(connection, result.problem);
        else if (result.kind === 'stored') this.#broadcast(result.written);
        return;
      }
      case 'awareness':
      case 'query-awareness':
        // Presence is not shared (who else has a document open is nobody else's business), but
        // the client hears something back, so it does not take the silence for a dead line.
        send(socket, EMPTY_AWARENESS);
        return;
      case 'auth':
        return;
    }
  }

  #refuse(connection: Connection, problem: string): void {
    this.#context.log(`sync: closed a socket of user ${connection.userId} on ${connection.name}: ${problem}`);
    connection.socket.close(CLOSE_REFUSED, 'refused');
  }

  #withinRate(connection: Connection): boolean {
    const now = Date.now();
    connection.tokens = Math.min(
      BURST,
      connection.tokens + ((now - connection.refilledAt) / 1000) * PER_SECOND,
    );
    connection.refilledAt = now;
    if (connection.tokens < 1) return false;
    connection.tokens -= 1;
    return true;
  }

  #broadcast(written: Written): void {
    for (const [name, update] of written) {
      const subscribers = this.#subscribers.get(name);
      if (!subscribers || carriesNothing(update)) continue;
      const message = updateMessage(update);
      for (const connection of subscribers) send(connection.socket, message);
    }
  }

  #checkSessions(): void {
    for (const subscribers of this.#subscribers.values()) {
      for (const connection of subscribers) {
        const signedIn = this.#signedIn(connection.cookie);
        if (!signedIn || signedIn.user.id !== connection.userId) {
          connection.socket.close(CLOSE_SESSION_ENDED, 'session ended');
        }
      }
    }
  }

  /** Closes every socket and stops the sweep, for a graceful stop. */
  close(): void {
    this.#isClosed = true;
    clearInterval(this.#sweep);
    for (const client of this.#server.clients) client.close(1001, 'server stopping');
    this.#server.close();
  }
}

function carriesNothing(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}

function send(socket: WebSocket, message: Bytes): void {
  if (socket.readyState === socket.OPEN) socket.send(message);
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
