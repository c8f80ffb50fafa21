import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { SESSION_COOKIE } from '../auth/sessions.ts';
import type { AppContext } from '../http/env.ts';
import { resolveSession, type SignedIn } from '../http/session.ts';
import type { Written } from './documents.ts';
import type { SyncEngine } from './engine.ts';
import { answerMessage } from './answer.ts';
import { readNamed, writeNamed } from '@schoolping/shared';
import { step1Message, updateMessage, type Bytes } from '@schoolping/shared';
import type { DocRef } from '@schoolping/shared';

/** Largest frame a client may send: an outbox of intents is small; anything near this is not. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** Frames a connection may send in a burst, and how many more it earns each second. */
const BURST = 200;
const PER_SECOND = 50;
/** Frames read but not yet answered (behind a backlog being decided) before a connection is closed. */
const MAX_WAITING = 64;
/** How often every open socket's session is checked again (besides at each frame) and open read models are brought up to date. */
const SESSION_SWEEP_MS = 15_000;

/** Close codes in the private range: the client knows why and whether to try again. */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_REFUSED = 4400;
export const CLOSE_TOO_FAST = 4429;
/** The standard "service restart": the client tries again, and resends what was not decided. */
const CLOSE_RESTARTING = 1012;

interface Connection {
  readonly socket: WebSocket;
  readonly cookie: string;
  readonly userId: number;
  /** For `/sync/<document>`: the one document, and frames carry no name. Null on `/sync`. */
  readonly fixed: { readonly name: string; readonly ref: DocRef } | null;
  /** The documents this connection follows. */
  readonly docs: Map<string, DocRef>;
  tokens: number;
  refilledAt: number;
  /** Frames are answered one after another, in the order they came. */
  queue: Promise<void>;
  /** Frames read but not yet answered. */
  waiting: number;
}

/**
 * Two sockets, one hub. `/sync/<document>`: one document per socket, in the stock y-websocket
 * wire format, so `new WebsocketProvider(url + '/sync', name, doc)` works unchanged. `/sync`: all
 * of a person's documents over one socket, each frame prefixed with its document's name. The
 * session is checked at the upgrade, at every frame and every 15 seconds; nothing is read before
 * it is; every frame is authorised for its document.
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
  readonly #stopListening: () => void;

  constructor(context: AppContext, engine: SyncEngine) {
    this.#context = context;
    this.#engine = engine;
    this.#sweep = setInterval(() => {
      this.#checkSessions();
    }, SESSION_SWEEP_MS);
    this.#sweep.unref();
    // Whatever brought a change (this hub, plain HTTP, a refresh), every subscriber hears it.
    this.#stopListening = engine.onWritten((written) => {
      this.#broadcast(written);
    });
  }

  /** For the upgrade gate: takes the sockets for /sync/<name>, answers the others' refusals. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (this.#isClosed) return false;
    const url = new URL(request.url ?? '/', 'http://localhost');
    const isMultiplexed = url.pathname === '/sync';
    if (!isMultiplexed && !url.pathname.startsWith('/sync/')) return false;
    const cookie = readCookie(request.headers.cookie, SESSION_COOKIE);
    const signedIn = this.#signedIn(cookie);
    if (!signedIn || cookie === undefined) {
      refuse(socket, 401, 'Unauthorized');
      return true;
    }
    let fixed: Connection['fixed'] = null;
    if (!isMultiplexed) {
      let name: string;
      try {
        name = decodeURIComponent(url.pathname.slice('/sync/'.length));
      } catch {
        refuse(socket, 404, 'Not Found');
        return true;
      }
      const opened = this.#engine.open(signedIn.principal, name);
      if (!opened.ok) {
        const isForbidden = opened.reason === 'forbidden';
        refuse(socket, isForbidden ? 403 : 404, isForbidden ? 'Forbidden' : 'Not Found');
        return true;
      }
      fixed = { name, ref: opened.ref };
    }
    this.#server.handleUpgrade(request, socket, head, (ws) => {
      this.#connect(ws, { cookie, userId: signedIn.user.id, fixed });
    });
    return true;
  }

  #signedIn(cookie: string | undefined): SignedIn | null {
    const signedIn = resolveSession(this.#context, cookie);
    // A session still waiting for its authenticator set-up may not sync anything yet.
    return signedIn && !signedIn.session.needsMfaSetup ? signedIn : null;
  }

  #connect(socket: WebSocket, details: Pick<Connection, 'cookie' | 'userId' | 'fixed'>): void {
    const connection: Connection = {
      socket,
      ...details,
      docs: new Map(),
      tokens: BURST,
      refilledAt: Date.now(),
      queue: Promise.resolve(),
      waiting: 0,
    };
    socket.on('message', (data, isBinary) => {
      this.#enqueue(connection, data, isBinary);
    });
    socket.on('close', () => {
      for (const name of connection.docs.keys()) this.#unsubscribe(connection, name);
    });
    socket.on('error', () => {
      socket.terminate();
    });
    if (details.fixed) this.#follow(connection, details.fixed.name, details.fixed.ref);
  }

  /** Subscribes the connection and tells it what the server holds, so it can send what it lacks. */
  #follow(connection: Connection, name: string, ref: DocRef): void {
    connection.docs.set(name, ref);
    let subscribers = this.#subscribers.get(name);
    if (!subscribers) {
      subscribers = new Set();
      this.#subscribers.set(name, subscribers);
    }
    subscribers.add(connection);
    sendTo(connection, name, step1Message(this.#engine.documents.stateVector(name)));
  }

  #unsubscribe(connection: Connection, name: string): void {
    const subscribers = this.#subscribers.get(name);
    subscribers?.delete(connection);
    if (subscribers?.size === 0) this.#subscribers.delete(name);
  }

  /**
   * Counts a frame against the connection's rate as it arrives, and answers it after the ones
   * before it: a backlog being decided in batches keeps the frames behind it waiting, in order.
   */
  #enqueue(connection: Connection, data: RawData, isBinary: boolean): void {
    if (this.#isClosed) return;
    if (!this.#withinRate(connection) || connection.waiting >= MAX_WAITING) {
      this.#context.log(`sync: closed a socket of user ${connection.userId} sending too fast`);
      connection.socket.close(CLOSE_TOO_FAST, 'too many messages');
      return;
    }
    connection.waiting++;
    connection.queue = connection.queue
      .then(() => this.#receive(connection, data, isBinary))
      .catch((error: unknown) => {
        this.#context.log(`sync: failed on a frame of user ${connection.userId}: ${String(error)}`);
        connection.socket.close(1011, 'server error');
      })
      .finally(() => {
        connection.waiting--;
      });
  }

  async #receive(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    const { socket } = connection;
    // Frames already read when the hub closed, or after the socket was refused, are not answered.
    if (this.#isClosed || socket.readyState !== socket.OPEN) return;
    const signedIn = this.#signedIn(connection.cookie);
    if (!signedIn || signedIn.user.id !== connection.userId) {
      socket.close(CLOSE_SESSION_ENDED, 'session ended');
      return;
    }
    if (!isBinary || !Buffer.isBuffer(data)) {
      this.#refuse(connection, 'a frame that is not binary');
      return;
    }
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let name: string;
    let message: Uint8Array;
    if (connection.fixed) {
      ({ name } = connection.fixed);
      message = bytes;
    } else {
      try {
        ({ name, message } = readNamed(bytes));
      } catch {
        this.#refuse(connection, 'a frame without a document name');
        return;
      }
    }
    let ref = connection.docs.get(name);
    if (!ref) {
      const opened = this.#engine.open(signedIn.principal, name);
      if (!opened.ok) {
        this.#refuse(
          connection,
          `a frame for ${opened.reason === 'forbidden' ? 'a forbidden' : 'an unknown'} document`,
        );
        return;
      }
      ref = opened.ref;
      this.#follow(connection, name, ref);
    }
    const answer = await answerMessage(this.#engine, signedIn, name, ref, message);
    if (answer.refused !== undefined) {
      this.#refuse(connection, answer.refused);
      return;
    }
    if (answer.stopped) {
      socket.close(CLOSE_RESTARTING, 'server restarting');
      return;
    }
    for (const reply of answer.replies) sendTo(connection, name, reply);
  }

  #refuse(connection: Connection, problem: string): void {
    this.#context.log(`sync: closed a socket of user ${connection.userId}: ${problem}`);
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
      for (const connection of subscribers) sendTo(connection, name, message);
    }
  }

  #checkSessions(): void {
    for (const name of this.#subscribers.keys()) {
      try {
        this.#engine.refresh(name);
      } catch (error) {
        this.#context.log(`sync: could not refresh ${name}: ${String(error)}`);
      }
    }
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
    this.#stopListening();
    clearInterval(this.#sweep);
    for (const client of this.#server.clients) client.close(1001, 'server stopping');
    this.#server.close();
  }
}

function carriesNothing(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.length === 0 && ds.clients.size === 0;
}

function sendTo(connection: Connection, name: string, message: Bytes): void {
  const { socket } = connection;
  if (socket.readyState !== socket.OPEN) return;
  socket.send(connection.fixed ? message : writeNamed(name, message));
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
