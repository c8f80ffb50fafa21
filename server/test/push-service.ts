import { execFileSync } from 'node:child_process';
import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt } from 'http_ece';
import type { AddressInfo } from 'node:net';

/** One request a push service received: its headers and its encrypted body. */
export interface PushedRequest {
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/**
 * A stand-in push service on this machine, over TLS with a certificate made for the test: it
 * records what the server sends, answers 201 (or what `answer` says), and can decrypt a payload
 * with the keys of the "browser" subscription it handed out.
 */
export class StandInPushService {
  readonly received: PushedRequest[] = [];
  /** The status the next requests get: 201 by default; 410 says the subscription is gone. */
  answer = 201;
  readonly agent: Agent;
  readonly #server: Server;
  readonly #dir: string;
  readonly #browserKeys = createECDH('prime256v1');
  readonly #auth = randomBytes(16);

  private constructor(server: Server, agent: Agent, dir: string) {
    this.#server = server;
    this.agent = agent;
    this.#dir = dir;
    this.#browserKeys.generateKeys();
  }

  static async start(): Promise<StandInPushService> {
    const dir = mkdtempSync(join(tmpdir(), 'schoolping-push-'));
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    const key = readFileSync(join(dir, 'key.pem'));
    let service: StandInPushService | null = null;
    const server = createServer({ cert, key }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        service?.received.push({
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks),
        });
        response.writeHead(service?.answer ?? 500).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    service = new StandInPushService(server, new Agent({ ca: cert }), dir);
    return service;
  }

  /** A subscription as a browser would hand it to the app, pointing here. */
  subscription(id: string): { endpoint: string; keys: { p256dh: string; auth: string } } {
    const { port } = this.#server.address() as AddressInfo;
    return {
      endpoint: `https://127.0.0.1:${port}/push/${id}`,
      keys: {
        p256dh: this.#browserKeys.getPublicKey().toString('base64url'),
        auth: this.#auth.toString('base64url'),
      },
    };
  }

  /** What the browser would read from a received push. */
  decrypt(request: PushedRequest): string {
    return decrypt(request.body, {
      version: 'aes128gcm',
      privateKey: this.#browserKeys,
      authSecret: this.#auth,
    }).toString('utf8');
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
