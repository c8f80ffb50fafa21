import { expect, test } from '@playwright/test';
import { gzipSync } from 'node:zlib';
import { AppShell } from './app-shell.ts';
import { demoSignIn, nameOf } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { SignInPage } from './sign-in-page.ts';
import { SyncStatusBar } from './sync-status-bar.ts';

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
  expect(bodies.some((text) => text.includes('encodeStateAsUpdate'))).toBe(false);
});
