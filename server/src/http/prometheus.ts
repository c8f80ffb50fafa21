import { getConnInfo } from '@hono/node-server/conninfo';
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import ipaddr from 'ipaddr.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Db } from '../db/database.ts';

/*
 * Prometheus metrics: requests by route and status, feeds and how long they took, rate-limit
 * refusals, live sessions, and the process's own (event-loop lag among them). One registry per app,
 * so every test app counts its own. Labels are route patterns and codes: never a name, an email or
 * an id a person could be found by.
 */

export class Telemetry {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'schoolping_http_requests_total',
    help: 'Requests answered, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [this.registry],
  });
  readonly feeds = new Counter({
    name: 'schoolping_ingest_feeds_total',
    help: 'Pushed feeds, by source and answer status.',
    labelNames: ['source', 'status'] as const,
    registers: [this.registry],
  });
  readonly feedSeconds = new Histogram({
    name: 'schoolping_ingest_feed_seconds',
    help: 'Time from a feed arriving to its answer.',
    labelNames: ['source'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly anonymousRefusals = new Counter({
    name: 'schoolping_anonymous_refusals_total',
    help: 'Requests refused because nobody was signed in (counted, not audited).',
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'schoolping_rate_limited_total',
    help: 'Requests refused by a rate limit or a full password queue, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor(db: Db, now: () => Date) {
    new Gauge({
      name: 'schoolping_sessions_live',
      help: 'Sessions that have not expired.',
      registers: [this.registry],
      collect() {
        const row = db
          .prepare('SELECT count(*) AS n FROM sessions WHERE expires_at > ?')
          .get(now().toISOString()) as {
          n: number;
        };
        this.set(row.n);
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'schoolping_' });
  }

  /** Counts every request under its route pattern (`/api/auth/sign-in`, never a raw URL). */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      await next();
      this.requests.inc({ route: routePath(c), method: c.req.method, status: String(c.res.status) });
    };
  }
}

/** Whether the request came from this machine: the metrics' audience, with no token needed. */
function isLoopback(c: Context): boolean {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return false;
  }
  return peer !== undefined && ipaddr.isValid(peer) && ipaddr.process(peer).range() === 'loopback';
}

function hasToken(c: Context, token: string | undefined): boolean {
  if (!token) return false;
  const given = Buffer.from(c.req.header('authorization') ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `/metrics`: answered on loopback, or to anyone with `Authorization: Bearer $METRICS_TOKEN`. */
export function metricsRoute(telemetry: Telemetry, token: string | undefined) {
  return new Hono().get('/', async (c) => {
    if (!isLoopback(c) && !hasToken(c, token)) {
      return c.json(
        { error: 'forbidden', message: 'Metrics answer on this machine, or with the metrics token.' },
        403,
      );
    }
    c.header('content-type', telemetry.registry.contentType);
    return c.body(await telemetry.registry.metrics());
  });
}
