import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { demoSignIn } from './demo-data.ts';
import { InboxPage, PHONE } from './messages-pages.ts';
import { SyncLine } from './network-switch.ts';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { SignInPage } from './sign-in-page.ts';
import { SyncStatusBar } from './sync-status-bar.ts';

/*
 * A school upgrades SchoolPing while a parent's phone has the app open with a change not yet sent.
 * This spec's server serves a copy of the build; a new release is built during the test, put in
 * its place and the server restarted, as a deployment does.
 */
const web = join(import.meta.dirname, '..', '..', 'web');
let server: OwnServer;
let served: string;
test.beforeAll(async () => {
  served = mkdtempSync(join(tmpdir(), 'schoolping-e2e-release-'));
  cpSync(join(web, 'build'), served, { recursive: true });
  server = await startOwnServer(Number(process.env.E2E_YEAR_END_PORT ?? 4174) + 2, '2027-03-15T09:00:00Z', {
    WEB_BUILD_DIR: served,
  });
});
test.afterAll(async () => {
  await server.stop();
  rmSync(served, { recursive: true, force: true });
});

/** Build the next release into a folder of its own, then deploy it over the one being served. */
async function buildAndDeployNextRelease(): Promise<string> {
  const next = mkdtempSync(join(tmpdir(), 'schoolping-e2e-next-'));
  execFileSync(process.execPath, [join(web, '..', 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], {
    cwd: web,
    env: { ...process.env, WEB_BUILD_OUT: next },
    stdio: 'ignore',
  });
  for (const entry of readdirSync(served)) rmSync(join(served, entry), { recursive: true, force: true });
  cpSync(next, served, { recursive: true });
  rmSync(next, { recursive: true, force: true });
  await server.restartAt('2027-03-15T09:05:00Z');
  return (JSON.parse(readFileSync(join(served, '_app', 'version.json'), 'utf8')) as { version: string })
    .version;
}

test('a new version is announced, and Update now waits until the change made offline is synced', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: PHONE, baseURL: server.baseURL });
  const page = await context.newPage();
  const line = await SyncLine.on(page);
  await new SignInPage(page).signInAs(demoSignIn('Parent', server.dataDir));
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  const inbox = new InboxPage(page);
  await inbox.open();
  const unread = page.getByRole('link', { name: /^Unread / }).first();
  await expect(unread).toBeVisible();
  // Marks this page: a reload would lose it.
  await page.evaluate(() => {
    document.documentElement.dataset.loadedBeforeUpdate = 'yes';
  });

  const nextVersion = await buildAndDeployNextRelease();

  // Offline, the parent reads a message: the read receipt waits on the phone.
  await line.cut();
  const bar = new SyncStatusBar(page);
  await expect(bar.connection).toHaveText('Offline');
  await unread.click();
  await expect(bar.changes).toContainText('1 change waiting');

  // The app looks for a new version (it does every half hour and when it comes back into view).
  await page.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
  const banner = page.getByRole('region', { name: 'New version' });
  await expect(banner).toContainText('A new version of SchoolPing is ready.');
  await banner.getByRole('button', { name: 'Update now' }).click();
  await expect(banner).toContainText('Updating once your change is sent to the school: nothing is lost.');
  // Still the same page, the new version still waiting, while the change is unsent.
  expect(await page.evaluate(() => document.documentElement.dataset.loadedBeforeUpdate)).toBe('yes');
  expect(
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting !== null),
  ).toBe(true);

  // Back online: the change is sent, then the new version takes over and the page reloads into it.
  line.restore();
  await page.waitForFunction(() => document.documentElement.dataset.loadedBeforeUpdate === undefined, null, {
    timeout: 60_000,
  });
  const running = await page.evaluate(
    async () => ((await (await fetch('/_app/version.json')).json()) as { version: string }).version,
  );
  expect(running).toBe(nextVersion);
  await expect(new SyncStatusBar(page).changes).toContainText('All changes sent');
  await expect(page.getByRole('region', { name: 'New version' })).toHaveCount(0);
  await context.close();
});
