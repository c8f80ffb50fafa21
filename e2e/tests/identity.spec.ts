import { expect, test } from '@playwright/test';
import { ActivatePage } from './activate-page.ts';
import { AppShell } from './app-shell.ts';
import { activationCodes, demoSignIn, nameOf } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { SignInPage } from './sign-in-page.ts';

test('a parent activates, stays signed in offline, and signing out offline leaves nothing behind', async ({
  page,
  context,
}) => {
  const parent = activationCodes().find((row) => row.email !== '');
  if (!parent) throw new Error('The demo school has no parent waiting to activate');
  const password = 'kettle orbit lantern 42';

  const activate = new ActivatePage(page);
  await activate.open();
  await activate.activate(parent.code, password);

  // Activation leads to sign-in with the email filled in.
  const signIn = new SignInPage(page);
  await expect(signIn.heading).toBeVisible();
  await expect(page.getByText('Your account is ready')).toBeVisible();
  await expect(signIn.email).toHaveValue(parent.email);
  await signIn.password.fill(password);
  await signIn.submit.click();

  const shell = new AppShell(page);
  const home = new HomePage(page);
  await expect(shell.signedInAs(parent.name)).toBeVisible();
  await expect(home.heading).toHaveText('Brookfield Primary School');
  await home.waitForServiceWorkerControl();

  await context.setOffline(true);
  await page.reload();
  await expect(shell.signedInAs(parent.name)).toBeVisible();
  await expect(home.heading).toHaveText('Brookfield Primary School');

  await shell.signOutButton.click();
  await expect(signIn.heading).toBeVisible();
  await expect(page.getByText('You have signed out')).toBeVisible();
  expect(await shell.localStorageNames()).toEqual({ databases: [], caches: [] });

  // Back online, the server hears of the sign-out it missed before anything else: no way back in.
  await context.setOffline(false);
  await page.goto('/');
  await expect(signIn.heading).toBeVisible();
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);
});

test('a wrong password shows the server’s sentence and leaves the person signed out', async ({ page }) => {
  const teacher = demoSignIn('Teacher');
  const signIn = new SignInPage(page);
  await signIn.open();
  await signIn.signIn(teacher.email, `${teacher.password}-wrong`);

  await expect(signIn.error).toHaveText('That email address and password do not match an account.');
  await expect(signIn.password).toBeFocused();
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  await page.goto('/');
  await expect(signIn.heading).toBeVisible();
  await expect(new AppShell(page).signOutButton).toHaveCount(0);
});

test('guesses at one account are slowed: after five, the sign-in page says when to try again', async ({
  page,
}) => {
  // An account no demo spec uses, so the wait it earns here holds up nobody else.
  const signIn = new SignInPage(page);
  await signIn.open();
  for (let guess = 1; guess <= 5; guess++) {
    await signIn.signIn('nobody-at-all@example.org', `guess number ${guess}`);
    await expect(signIn.error).toHaveText('That email address and password do not match an account.');
  }
  await signIn.signIn('nobody-at-all@example.org', 'guess number 6');
  await expect(signIn.error).toHaveText(/^Too many attempts\. Try again in \d+ minutes\.$/);
});

test('signing in again after an offline sign-out brings back the app’s offline copy', async ({
  page,
  context,
}) => {
  const parent = demoSignIn('Parent');
  const signIn = new SignInPage(page);
  const home = new HomePage(page);
  const shell = new AppShell(page);
  await signIn.signInAs(parent);
  await home.waitForServiceWorkerControl();
  await context.setOffline(true);
  await shell.signOutButton.click();
  await expect(signIn.heading).toBeVisible();

  await context.setOffline(false);
  await signIn.signIn(parent.email, parent.password);
  await expect(home.heading).toHaveText('Brookfield Primary School');
  // The sign-out emptied the precache; only a newly installed worker fills it again.
  await home.waitForServiceWorkerControl();

  await context.setOffline(true);
  await page.reload();
  await expect(shell.signedInAs(nameOf(parent))).toBeVisible();
  await expect(home.heading).toHaveText('Brookfield Primary School');
});

test('offline, the signed-in shell lasts until the session’s absolute end and no longer', async ({
  page,
  context,
}) => {
  // The page's clock only: the server must not see the session end, so that only the device decides.
  await page.clock.install();
  const parent = demoSignIn('Parent');
  const signIn = new SignInPage(page);
  const home = new HomePage(page);
  const shell = new AppShell(page);
  await signIn.signInAs(parent);
  await home.waitForServiceWorkerControl();
  const me = (await (await page.request.get('/api/auth/me')).json()) as {
    sessionExpiresAt: string;
    serverNow: string;
  };
  // The server runs on its own (school) clock; the device counts the session's time on its own.
  // The page read its copy a moment before this, so its end is no later than this one.
  const deviceEnd = Date.now() + Date.parse(me.sessionExpiresAt) - Date.parse(me.serverNow);
  await context.setOffline(true);

  await page.clock.setSystemTime(deviceEnd - 60_000);
  await page.reload();
  await expect(shell.signedInAs(nameOf(parent))).toBeVisible();

  await page.clock.setSystemTime(deviceEnd + 1_000);
  await page.reload();
  await expect(signIn.heading).toBeVisible();
  await expect(page.getByText('Your session has reached its time limit')).toBeVisible();
  expect(await shell.localStorageNames()).toEqual({ databases: [], caches: [] });
});
