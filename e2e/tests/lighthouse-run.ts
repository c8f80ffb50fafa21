import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import lighthouse from 'lighthouse';
import type { DemoSignIn } from './demo-data.ts';
import { SignInPage } from './sign-in-page.ts';

export interface LighthouseResult {
  readonly scores: Readonly<Record<'performance' | 'accessibility', number>>;
  /** Chromium's own reasons the app could not be installed (empty: installable). */
  readonly installabilityErrors: readonly string[];
  readonly html: string;
  readonly json: string;
}

const DEBUG_PORT = 9333;

/**
 * Lighthouse 12.2.3 (mobile, simulated throttling) on the parent inbox of the server at `baseURL`,
 * signed in as `parent` in a real Chromium profile (not incognito, so that installability is
 * judged as on a phone). Lighthouse 12 no longer audits installability; Chromium's own check
 * (`Page.getInstallabilityErrors`) does.
 */
export async function lighthouseParentInbox(baseURL: string, parent: DemoSignIn): Promise<LighthouseResult> {
  const profile = mkdtempSync(join(tmpdir(), 'schoolping-lighthouse-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    baseURL,
    args: ['--no-sandbox', '--disable-gpu', `--remote-debugging-port=${String(DEBUG_PORT)}`],
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await new SignInPage(page).signInAs(parent);
    await page.goto('/inbox');
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    const run = await lighthouse(`${baseURL}/inbox`, {
      port: DEBUG_PORT,
      output: ['html', 'json'],
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      // The parent's session and the offline copy are what a parent opening the app has.
      disableStorageReset: true,
    });
    if (!run) throw new Error('Lighthouse returned no result');
    const score = (id: string): number => Math.round((run.lhr.categories[id]?.score ?? 0) * 100);
    const [html = '', json = ''] = run.report as string[];
    return {
      scores: { performance: score('performance'), accessibility: score('accessibility') },
      installabilityErrors: installabilityErrors.map((error) => error.errorId),
      html,
      json,
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
