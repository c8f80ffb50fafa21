import { Hono } from 'hono';
import type { Clock } from './clock.ts';
import type { Db } from './db/database.ts';
import { healthRoutes } from './routes/health.ts';
import { misRoutes } from './routes/mis.ts';
import { yearEndRoutes } from './routes/year-end.ts';
import { schoolRoutes } from './routes/school.ts';
import { serveWebApp } from './static-files.ts';

export interface AppOptions {
  readonly db: Db;
  readonly clock: Clock;
  /** The built PWA to serve; omitted in API-only tests. */
  readonly webBuildDir?: string;
}

export function createApp({ db, clock, webBuildDir }: AppOptions): Hono {
  const app = new Hono();
  app.route('/api/health', healthRoutes(db));
  app.route('/api/school', schoolRoutes(db, clock));
  app.route('/api/mis', misRoutes(db, clock));
  app.route('/api/year-end', yearEndRoutes(db));
  app.all('/api/*', (c) =>
    c.json({ error: 'not-found', message: `There is no ${c.req.method} ${c.req.path}.` }, 404),
  );
  if (webBuildDir) serveWebApp(app, webBuildDir);
  return app;
}
