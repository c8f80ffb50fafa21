import { Hono } from 'hono';
import { ACCOUNT_AT_ADDRESS_RULE, ACCOUNT_RULE, ADDRESS_RULE, RateLimiter } from './auth/rate-limit.ts';
import { DEFAULT_IDENTITY, type IdentitySettings } from './auth/settings.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import { refuseCrossSite } from './http/csrf.ts';
import type { AppEnv, IdentityContext } from './http/env.ts';
import { inlineScriptHashes, securityHeaders } from './http/security-headers.ts';
import { attachPrincipal } from './http/session.ts';
import { authRoutes } from './routes/auth.ts';
import { healthRoutes } from './routes/health.ts';
import { misRoutes } from './routes/mis.ts';
import { schoolRoutes } from './routes/school.ts';
import { yearEndRoutes } from './routes/year-end.ts';
import { serveWebApp } from './static-files.ts';

export interface AppOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** The built PWA to serve; omitted in API-only tests. */
  readonly webBuildDir?: string;
  readonly identity?: Partial<IdentitySettings>;
  readonly trustProxy?: boolean;
}

export function createApp({ db, clock, webBuildDir, identity, trustProxy }: AppOptions): Hono<AppEnv> {
  const context: IdentityContext = {
    db,
    clock,
    settings: { ...DEFAULT_IDENTITY, ...identity },
    limits: {
      accountAtAddress: new RateLimiter(ACCOUNT_AT_ADDRESS_RULE),
      account: new RateLimiter(ACCOUNT_RULE),
      address: new RateLimiter(ADDRESS_RULE),
    },
    trustProxy: trustProxy ?? false,
  };
  const app = new Hono<AppEnv>();
  app.use('*', securityHeaders(inlineScriptHashes(webBuildDir)));
  app.use('/api/*', refuseCrossSite());
  app.use('/api/*', attachPrincipal(context));
  app.route('/api/health', healthRoutes(db));
  app.route('/api/auth', authRoutes(context));
  app.route('/api/school', schoolRoutes(context));
  app.route('/api/mis', misRoutes(context));
  app.route('/api/year-end', yearEndRoutes(context));
  app.all('/api/*', (c) =>
    c.json({ error: 'not-found', message: `There is no ${c.req.method} ${c.req.path}.` }, 404),
  );
  if (webBuildDir) serveWebApp(app, webBuildDir);
  return app;
}
