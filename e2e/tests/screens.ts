import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { PHONE, TABLET } from './messages-pages.ts';
import { seriousAccessibilityIssues } from './accessibility.ts';

/** Where the run leaves its screenshots (under test-results/, which git ignores). */
const SCREENS = join(import.meta.dirname, '..', 'test-results', 'screens');

/**
 * A main screen at phone and tablet size: a full-page screenshot of each for people to look at,
 * and axe's serious and critical findings at each size (empty when all is well).
 */
export async function lookAtScreen(
  page: Page,
  name: string,
  /** A screen of hundreds of rows is pictured as far as the window shows. */
  options: { readonly fullPage?: boolean } = {},
): Promise<{ phone: unknown[]; tablet: unknown[] }> {
  const before = page.viewportSize();
  const found: Record<'phone' | 'tablet', unknown[]> = { phone: [], tablet: [] };
  for (const [size, viewport] of [
    ['phone', PHONE],
    ['tablet', TABLET],
  ] as const) {
    await page.setViewportSize(viewport);
    await page.screenshot({ path: join(SCREENS, `${name}-${size}.png`), fullPage: options.fullPage ?? true });
    found[size] = await seriousAccessibilityIssues(page);
  }
  if (before) await page.setViewportSize(before);
  return found;
}
