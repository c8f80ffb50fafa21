import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { pino, type DestinationStream, type Logger } from 'pino';

/*
 * Structured logs: one JSON line per request with its method, route pattern, status, time and a
 * request id (also sent back as X-Request-Id), and nothing a person could be found by: no query
 * string, no body, no name or email. Operational lines (refusals counted, pulls, feeds applied)
 * go through the same logger.
 */

export type { Logger };

/** A JSON line, made readable at a terminal: `12:00:01 INFO POST /api/auth/sign-in 401 12ms`. */
function readableLine(json: string): string {
  const entry = JSON.parse(json) as Record<string, unknown>;
  const time = new Date(Number(entry.time)).toISOString().slice(11, 19);
  const level = pino.levels.labels[Number(entry.level)]?.toUpperCase() ?? 'LOG';
  const request =
    typeof entry.route === 'string'
      ? `${String(entry.method)} ${entry.route} ${String(entry.status)} ${String(entry.ms)}ms req=${String(entry.reqId)}`
      : '';
  return `${time} ${level} ${request}${request && entry.msg ? ' ' : ''}${typeof entry.msg === 'string' ? entry.msg : ''}\n`;
}

/**
 * JSON lines on stderr when LOG_FORMAT=json (or NODE_ENV=production), readable lines otherwise;
 * `destination` replaces stderr (tests read what was logged).
 */
export function createLogger(env: NodeJS.ProcessEnv, destination?: DestinationStream): Logger {
  const asJson = env.LOG_FORMAT === 'json' || (env.LOG_FORMAT === undefined && env.NODE_ENV === 'production');
  const target: DestinationStream =
    destination ??
    (asJson
      ? pino.destination(2)
      : {
          write(line: string) {
            process.stderr.write(readableLine(line));
          },
        });
  return pino({ base: null, level: env.LOG_LEVEL ?? 'info' }, target);
}

/** A logger that writes nothing: the default for apps made in tests. */
export const silentLogger: Logger = pino({ enabled: false });

const REQUEST_ID = /^[\w-]{8,64}$/;

export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    // A proxy's id is kept so lines can be matched across hops; anything else is replaced.
    const given = c.req.header('x-request-id');
    const reqId = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    const started = performance.now();
    await next();
    c.header('X-Request-Id', reqId);
    logger.info({
      reqId,
      method: c.req.method,
      route: routePath(c),
      status: c.res.status,
      ms: Math.round(performance.now() - started),
    });
  };
}
