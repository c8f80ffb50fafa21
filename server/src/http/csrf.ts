import type { MiddlewareHandler } from 'hono';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes called by machines with their own key, never with a browser's cookie. */
const KEYED = ['/api/mis/xporter', '/api/mis/oneroster'];

/**
 * Routes that take binary bodies from our own pages. A cross-site form cannot send this type, and
 * a cross-site fetch with it needs a preflight we never answer, so it protects as JSON does.
 */
const BINARY = ['/api/sync'];

/**
 * Refuse cross-site state changes whatever their content type: a browser always says where a
 * request comes from (Sec-Fetch-Site, Origin), and a form or `text/plain` body cannot be JSON.
 */
export function refuseCrossSite(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE.has(c.req.method) || KEYED.includes(c.req.path)) return next();
    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const isCrossSite =
      (site !== undefined && site !== 'same-origin' && site !== 'none') ||
      (origin !== undefined && !isSameHost(origin, new URL(c.req.url).host));
    if (isCrossSite) {
      return c.json(
        { error: 'cross-site', message: 'This request came from another site and was refused.' },
        403,
      );
    }
    const type = c.req.header('content-type') ?? '';
    if (BINARY.includes(c.req.path) && type === 'application/octet-stream') return next();
    if (!type.startsWith('application/json')) {
      return c.json({ error: 'json-required', message: 'Send this request as application/json.' }, 415);
    }
    return next();
  };
}

/**
 * The page's origin names this server. Hosts, not schemes, are compared: behind a TLS proxy the
 * server itself sees plain http while the page is https.
 */
export function isSameHost(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** For WebSocket upgrades, which carry no Sec-Fetch-Site to rely on: an Origin naming us is required. */
export function isSameOriginUpgrade(headers: {
  origin?: string | undefined;
  host?: string | undefined;
}): boolean {
  return headers.origin !== undefined && isSameHost(headers.origin, headers.host);
}
