/**
 * Precompresses the built PWA: beside each text file, a Brotli (.br) and a gzip (.gz) copy, which
 * the server picks by Accept-Encoding. Done once at build time at the highest levels, so no
 * request pays for compression. A copy that would not be smaller is not written.
 *   npx tsx scripts/compress-build.ts web/build
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt)$/;

function* textFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* textFiles(path);
    else if (TEXT.test(name)) yield path;
  }
}

const root = resolve(process.argv[2] ?? 'build');
let files = 0;
let before = 0;
let after = 0;
for (const path of textFiles(root)) {
  const body = readFileSync(path);
  const brotli = brotliCompressSync(body, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
    },
  });
  const gzip = gzipSync(body, { level: 9 });
  if (brotli.length < body.length) writeFileSync(`${path}.br`, brotli);
  if (gzip.length < body.length) writeFileSync(`${path}.gz`, gzip);
  files += 1;
  before += body.length;
  after += Math.min(brotli.length, body.length);
}
console.log(
  `Precompressed ${files} files: ${Math.round(before / 1024)} KiB, ${Math.round(after / 1024)} KiB as Brotli.`,
);
