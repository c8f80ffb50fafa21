import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import type { AppEnv } from './http/env.ts';

/**
 * The built PWA. Hashed assets never change, so they are cached for a year; the HTML shell and the
 * service worker must always be revalidated or a school would be stuck on an old release.
 */
export function serveWebApp(app: Hono<AppEnv>, buildDir: string): void {
  if (!existsSync(buildDir)) return;
  app.use('*', async (c, next) => {
    await next();
    const path = c.req.path;
    if (path.startsWith('/api/')) return;
    if (path.startsWith('/_app/immutable/')) c.header('Cache-Control', 'public, max-age=31536000, immutable');
    else c.header('Cache-Control', 'no-cache');
    // The same address answers differently by Accept-Encoding: caches must keep the copies apart.
    if (!c.res.headers.get('Vary')?.includes('Accept-Encoding'))
      c.header('Vary', 'Accept-Encoding', { append: true });
  });
  // The build holds Brotli and gzip copies beside each text file (scripts/compress-build.ts).
  app.use('*', serveStatic({ root: buildDir, precompressed: true }));
  // Any other page is the SPA's: its router decides.
  app.get('*', serveStatic({ root: buildDir, path: 'index.html', precompressed: true }));
}

export function defaultBuildDir(): string {
  return join(import.meta.dirname, '..', '..', 'web', 'build');
}
