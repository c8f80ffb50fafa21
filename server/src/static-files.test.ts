import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.ts';
import { tempDatabase } from '../test/temp-database.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const SCRIPT = 'export const greeting = "Messages from school";\n'.repeat(200);

/** A small build, precompressed by the same script the real build runs. */
function builtApp() {
  const dir = mkdtempSync(join(tmpdir(), 'schoolping-build-'));
  mkdirSync(join(dir, '_app', 'immutable'), { recursive: true });
  writeFileSync(join(dir, '_app', 'immutable', 'app.js'), SCRIPT);
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><title>SchoolPing</title>${'<p>shell</p>'.repeat(100)}`,
  );
  writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
  execFileSync(process.execPath, ['--import', 'tsx', join('scripts', 'compress-build.ts'), dir], {
    cwd: join(import.meta.dirname, '..', '..'),
  });
  const temp = tempDatabase();
  cleanups.push(temp.cleanup, () => {
    rmSync(dir, { recursive: true, force: true });
  });
  return createApp({ db: temp.db, clock: () => new Date('2027-03-15T09:00:00Z'), webBuildDir: dir });
}

const get = (app: ReturnType<typeof builtApp>, path: string, acceptEncoding?: string) =>
  app.request(path, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

describe('the built PWA, served precompressed', () => {
  it('sends Brotli or gzip by Accept-Encoding, the same bytes once decoded, and says it varies', async () => {
    const app = builtApp();
    const brotli = await get(app, '/_app/immutable/app.js', 'gzip, deflate, br, zstd');
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('vary')).toContain('Accept-Encoding');
    expect(brotli.headers.get('content-type')).toMatch(/javascript/);
    expect(brotli.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const brotliBody = Buffer.from(await brotli.arrayBuffer());
    expect(brotliBody.length).toBeLessThan(SCRIPT.length / 10);
    expect(brotliDecompressSync(brotliBody).toString()).toBe(SCRIPT);

    const gzip = await get(app, '/_app/immutable/app.js', 'gzip');
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).toString()).toBe(SCRIPT);

    // No header, identity only, or encodings it does not have: the plain file, still marked as varying.
    for (const accept of [undefined, 'identity', 'deflate', 'br;q=0', 'BR']) {
      const plain = await get(app, '/_app/immutable/app.js', accept);
      expect(plain.headers.get('content-encoding'), String(accept)).toBeNull();
      expect(plain.headers.get('vary')).toContain('Accept-Encoding');
      expect(await plain.text()).toBe(SCRIPT);
    }
  });

  it('answers pages the SPA routes with the compressed shell, and robots.txt as itself', async () => {
    const app = builtApp();
    const page = await get(app, '/payments/wallets', 'br');
    expect(page.headers.get('content-encoding')).toBe('br');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(brotliDecompressSync(Buffer.from(await page.arrayBuffer())).toString()).toContain(
      '<title>SchoolPing',
    );
    const robots = await get(app, '/robots.txt', 'br');
    expect(robots.headers.get('content-type')).toMatch(/^text\/plain/);
    // Too small to gain from compression: sent as it is.
    expect(robots.headers.get('content-encoding')).toBeNull();
    expect(await robots.text()).toBe('User-agent: *\nDisallow: /\n');
  });

  it('never lets a path reach outside the build, however it is spelt', async () => {
    const app = builtApp();
    for (const path of [
      '/../package.json',
      '/_app/%2e%2e/%2e%2e/index.html.br',
      '/..%2f..%2fetc/passwd',
      '/_app\\..\\..\\x',
    ]) {
      const answer = await get(app, path, 'br');
      const body =
        answer.headers.get('content-encoding') === 'br'
          ? brotliDecompressSync(Buffer.from(await answer.arrayBuffer())).toString()
          : await answer.text();
      expect(body, path).not.toContain('"name"');
      expect(body, path).not.toContain('root:');
    }
  });
});
