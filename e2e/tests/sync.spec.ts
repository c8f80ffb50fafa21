import { expect, test } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { AppShell } from './app-shell.ts';
import { demoSignIn, nameOf } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { SignInPage } from './sign-in-page.ts';
import { SyncStatusBar } from './sync-status-bar.ts';

/** A sentence only Yjs carries (its warning against loading it twice), which minifying keeps. */
const YJS_MARK = 'Yjs was already imported';

test('a parent’s documents sync, are kept on the device, and the status bar says so online and offline', async ({
  page,
  context,
}) => {
  const parent = demoSignIn('Parent');
  await new SignInPage(page).signInAs(parent);
  const shell = new AppShell(page);
  const home = new HomePage(page);
  const bar = new SyncStatusBar(page);
  await expect(shell.signedInAs(nameOf(parent))).toBeVisible();
  await expect(bar.connection).toHaveText('Online');
  await expect(bar.changes).toHaveText('All changes sent');
  await expect(bar.region).toContainText('Last synced just now');
  await home.waitForServiceWorkerControl();
  // The demo's term of messages reached the inbox, and the inbox is on the device.
  await expect
    .poll(async () => Object.keys(await bar.storedDocuments()))
    .toEqual(
      expect.arrayContaining([expect.stringMatching(/^s1\.inbox\./), expect.stringMatching(/^s1\.wallet\./)]),
    );

  // Cut the network, sockets included (setOffline leaves open sockets up).
  await page.routeWebSocket(/\/sync/, (socket) => {
    void socket.close();
  });
  await context.setOffline(true);
  await page.reload();
  await expect(shell.signedInAs(nameOf(parent))).toBeVisible();
  await expect(bar.connection).toHaveText('Offline');
  await expect(bar.changes).toHaveText('All changes sent');
  expect(Object.keys(await bar.storedDocuments()).some((name) => name.includes('.inbox.'))).toBe(true);
});

test('where WebSockets are broken, the app syncs over plain requests by itself', async ({ page }) => {
  // A filtering proxy that takes the upgrade and passes nothing on.
  await page.routeWebSocket(/\/sync/, (socket) => {
    void socket.close();
  });
  const parent = demoSignIn('Parent');
  await new SignInPage(page).signInAs(parent);
  const bar = new SyncStatusBar(page);
  await expect(bar.connection).toHaveText('Online (without a live connection)', { timeout: 20_000 });
  await expect(bar.changes).toHaveText('All changes sent');
  await expect
    .poll(async () => Object.keys(await bar.storedDocuments()))
    .toEqual(expect.arrayContaining([expect.stringMatching(/^s1\.inbox\./)]));
});

test('the first page stays within 100 KB of compressed JavaScript, without the sync engine', async ({
  page,
}) => {
  const scripts = new Map<string, number>();
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    void response.body().then((body) => scripts.set(response.url(), gzipSync(body).length));
  });
  await page.goto('/sign-in');
  await expect(new SignInPage(page).heading).toBeVisible();
  await page.waitForLoadState('networkidle');
  const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
  expect(scripts.size).toBeGreaterThan(0);
  expect(total, [...scripts].map(([url, size]) => `${size} ${url}`).join('\n')).toBeLessThanOrEqual(
    100 * 1024,
  );
  // Yjs comes with the sync client, after someone signs in.
  const bodies = await Promise.all(
    [...scripts.keys()].map(async (url) => (await page.request.get(url)).text()),
  );
  expect(bodies.some((text) => text.includes(YJS_MARK))).toBe(false);
});

test('the parent inbox is shown with at most 100 KB of compressed JavaScript; the sync engine follows', async ({
  browser,
}) => {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const signIn = await context.newPage();
  await new SignInPage(signIn).signInAs(demoSignIn('Parent'));
  await signIn.close();
  // A fresh visit straight to the inbox, as from a notification. The sync engine (Yjs) is loaded
  // after the page is shown, by design: it is held here until the inbox is on screen, to prove
  // the page does not wait for it, and counted apart.
  const page = await context.newPage();
  const scripts = new Map<string, { size: number; isSyncEngine: boolean }>();
  let isShown = false;
  const held: (() => Promise<void>)[] = [];
  await page.route('**/_app/immutable/**/*.js', async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    const isSyncEngine = body.includes(YJS_MARK);
    scripts.set(route.request().url(), { size: gzipSync(body).length, isSyncEngine });
    if (isSyncEngine && !isShown) held.push(() => route.fulfill({ response }));
    else await route.fulfill({ response });
  });
  await page.goto('/inbox');
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  isShown = true;
  const initial = [...scripts.values()].filter((each) => !each.isSyncEngine);
  const total = initial.reduce((sum, each) => sum + each.size, 0);
  expect(initial.length).toBeGreaterThan(0);
  expect(total, [...scripts].map(([url, each]) => `${each.size} ${url}`).join('\n')).toBeLessThanOrEqual(
    100 * 1024,
  );
  // Then the engine arrives and the messages with it.
  await Promise.all(held.map((release) => release()));
  await expect(page.getByRole('link').filter({ hasText: /\w/ }).nth(8)).toBeVisible();
  const engine = [...scripts.values()].filter((each) => each.isSyncEngine);
  expect(engine.length).toBeGreaterThan(0);
  console.log(
    `parent inbox: ${String(Math.round(total / 1024))} KB of JavaScript to show it, ${String(Math.round(engine.reduce((sum, each) => sum + each.size, 0) / 1024))} KB more for the sync engine (gzip)`,
  );
  await context.close();
});
