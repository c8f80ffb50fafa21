import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';

/**
 * Until sign-in exists, routes that show pupils' and parents' details answer only on this machine
 * (for the command line and support staff on the server), never across the network.
 */
export function localOnly(): MiddlewareHandler {
  return async (c, next) => {
    let address: string | undefined;
    try {
      address = getConnInfo(c).remote.address;
    } catch {
      address = undefined;
    }
    const isLoopback = address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
    // A reverse proxy on the same machine connects from loopback too; the headers it adds give it away.
    const isProxied = ['forwarded', 'x-forwarded-for', 'x-real-ip'].some(
      (name) => c.req.header(name) !== undefined,
    );
    const isLocal = isLoopback && !isProxied;
    if (!isLocal) {
      return c.json(
        {
          error: 'local-only',
          message: 'This report is available only on the server itself until sign-in is set up.',
        },
        403,
      );
    }
    await next();
  };
}
