/**
 * Draws the app's PNG icons from one SVG glyph with Chromium, for the web app manifest: 192 and
 * 512 px with rounded corners, and a maskable 512 px whose glyph sits inside the central safe
 * zone (a circle of 80% of the width) on a full-bleed background. Run after changing the glyph:
 *   npx tsx scripts/make-icons.ts
 */
import { chromium } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const BLUE = '#1d4f91';
const GLYPH = '<path d="M16 20h32v20H30l-8 7v-7h-6z" fill="#fff"/>';

const rounded = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="${BLUE}"/>${GLYPH}</svg>`;
// The glyph spans 32 of 64 units; scaled to 0.8 about the centre it stays well inside the safe circle.
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="${BLUE}"/><g transform="translate(6.4 6.4) scale(0.8)">${GLYPH}</g></svg>`;

const out = join(import.meta.dirname, '..', 'web', 'static');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
for (const [file, svg, size] of [
  ['icon-192.png', rounded, 192],
  ['icon-512.png', rounded, 512],
  ['icon-maskable-512.png', maskable, 512],
] as const) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`,
  );
  writeFileSync(join(out, file), await page.screenshot({ omitBackground: true, type: 'png' }));
  await page.close();
}
await browser.close();
writeFileSync(join(out, 'icon.svg'), `${rounded}\n`);
