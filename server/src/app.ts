import { Hono } from 'hono';
import { smallBody } from './http/small-body.ts';
import {
  ACCOUNT_AT_ADDRESS_RULE,
  ACCOUNT_RULE,
  ADDRESS_RULE,
  RateLimiter,
  SECOND_FACTOR_RULE,
} from './auth/rate-limit.ts';
import { DEFAULT_IDENTITY, type IdentitySettings } from './auth/settings.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import { keyringFor } from './db/database.ts';
import { LOCAL_PROXIES } from './http/client-address.ts';
import { LogSampler } from './http/log-sampler.ts';
import { metricsRoute, Telemetry } from './http/prometheus.ts';
import { requestLog, silentLogger, type Logger } from './http/request-log.ts';
import { refuseCrossSite } from './http/csrf.ts';
import type { AppEnv, AppContext } from './http/env.ts';
import { inlineScriptHashes, securityHeaders } from './http/security-headers.ts';
import { attachPrincipal } from './http/session.ts';
import { authRoutes } from './routes/auth.ts';
import { healthRoutes } from './routes/health.ts';
import { misRoutes } from './routes/mis.ts';
import { misAdminRoutes } from './routes/mis-admin.ts';
import { peopleRoutes } from './routes/people.ts';
import { schoolRoutes } from './routes/school.ts';
import { messageRoutes } from './routes/messages.ts';
import { pushRoutes, type PushRouteOptions } from './routes/push.ts';
import { notifyStore } from './notify/notify-store.ts';
import { isKnownPushService } from './notify/push-endpoints.ts';
import { syncRoutes } from './routes/sync.ts';
import { SyncEngine, type BatchLimits } from './sync/engine.ts';
import { sqliteSyncStore } from './db/sync-store/sqlite.ts';
import type { RosterCache } from './intents/roster-cache.ts';
import { yearEndRoutes } from './routes/year-end.ts';
import { serveWebApp } from './static-files.ts';

export interface AppOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** For authenticator codes; the same as `clock` unless the server runs as of another date. */
  readonly authenticatorClock?: Clock;
  /** The built PWA to serve; omitted in API-only tests. */
  readonly webBuildDir?: string;
  readonly identity?: Partial<IdentitySettings>;
  /** How many reverse proxies of ours stand in front (TRUST_PROXY); 0 trusts X-Forwarded-For not at all. */
  readonly trustedProxies?: number;
  /** Where the nearest proxy connects from (TRUSTED_PROXY_ADDRESSES); this machine by default. */
  readonly proxyAddresses?: readonly string[];
  /** Where refusals and other operational lines go; stderr by default. */
  readonly log?: (line: string) => void;
  /** One structured line per request; silent when not given (tests). */
  readonly logger?: Logger;
  /** METRICS_TOKEN: lets a scraper elsewhere read /metrics; on this machine no token is needed. */
  readonly metricsToken?: string;
  /** Roster views for deciding intents; one per app unless a caller shares one between apps. */
  readonly rosters?: RosterCache;
  /** How a backlog of intents is cut into transactions; a default suits a server. */
  readonly batch?: BatchLimits;
  /** The VAPID public key, when push is set up; which push services may be posted to. */
  readonly push?: Partial<PushRouteOptions>;
}

/** The app and the context its routes share: the sync hub is built on the same context. */
export function createApp(options: AppOptions): Hono<AppEnv> {
  return createAppWithContext(options).app;
}

export function createAppWithContext({
  db,
  clock,
  authenticatorClock,
  webBuildDir,
  identity,
  trustedProxies,
  proxyAddresses,
  log,
  logger = silentLogger,
  metricsToken,
  rosters,
  batch,
  push,
}: AppOptions): { readonly app: Hono<AppEnv>; readonly context: AppContext; readonly sync: SyncEngine } {
  const context: AppContext = {
    db,
    clock,
    authenticatorClock: authenticatorClock ?? clock,
    keys: keyringFor(db),
    settings: { ...DEFAULT_IDENTITY, ...identity },
    limits: {
      accountAtAddress: new RateLimiter(ACCOUNT_AT_ADDRESS_RULE),
      account: new RateLimiter(ACCOUNT_RULE),
      address: new RateLimiter(ADDRESS_RULE),
      secondFactor: new RateLimiter(SECOND_FACTOR_RULE),
    },
    proxies: { hops: trustedProxies ?? 0, from: proxyAddresses ?? LOCAL_PROXIES },
    anonymousRefusalLog: new LogSampler(),
    telemetry: new Telemetry(db, clock),
    log:
      log ??
      ((line) => {
        logger.info(line);
      }),
  };
  const app = new Hono<AppEnv>();
  app.use('*', requestLog(logger));
  app.use('*', context.telemetry.middleware());
  app.use('*', securityHeaders(inlineScriptHashes(webBuildDir)));
  app.route('/metrics', metricsRoute(context.telemetry, metricsToken));
  app.use('/api/*', refuseCrossSite());
  app.use('/api/*', attachPrincipal(context));
  for (const path of ['/api/auth/*', '/api/push/*']) app.use(path, smallBody());
  app.route('/api/health', healthRoutes(context));
  app.route('/api/auth', authRoutes(context));
  app.route('/api/school', schoolRoutes(context));
  app.route('/api/people', peopleRoutes(context));
  app.route('/api/mis', misRoutes(context));
  app.route('/api/mis', misAdminRoutes(context));
  app.route('/api/year-end', yearEndRoutes(context));
  const sync = new SyncEngine(context, sqliteSyncStore(context.db), rosters, batch);
  app.route('/api/sync', syncRoutes(context, sync));
  app.route('/api/messages', messageRoutes(context, sync));
  app.route(
    '/api',
    pushRoutes(context, notifyStore(context.db), {
      publicKey: push?.publicKey ?? null,
      isAllowedEndpoint: push?.isAllowedEndpoint ?? isKnownPushService,
    }),
  );
  app.all('/api/*', (c) =>
    c.json({ error: 'not-found', message: `There is no ${c.req.method} ${c.req.path}.` }, 404),
  );
  if (webBuildDir) serveWebApp(app, webBuildDir);
  return { app, context, sync };
}
