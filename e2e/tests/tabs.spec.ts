import { expect, test } from '@playwright/test';
import { AppShell } from './app-shell.ts';
import { demoSignIn, nameOf } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { SignInPage } from './sign-in-page.ts';

test('signing out in one tab sends every other open tab to sign-in', async ({ page, context }) => {
  const parent = demoSignIn('Parent');
  await new SignInPage(page).signInAs(parent);
  const other = await context.newPage();
  const otherShell = new AppShell(other);
  await other.goto('/');
  await expect(otherShell.signedInAs(nameOf(parent))).toBeVisible();

  await new AppShell(page).signOutButton.click();
  await expect(new SignInPage(page).heading).toBeVisible();
  await expect(new SignInPage(other).heading).toBeVisible();
  await expect(otherShell.signOutButton).toHaveCount(0);
});

test('a teacher’s tab closed and opened again after the idle time opens locked', async ({
  page,
  context,
}) => {
  // The pages' own clock, so that the idle time takes no time; the server keeps real time.
  await page.clock.install();
  const teacher = demoSignIn('Teacher');
  await new SignInPage(page).signInAs(teacher);
  await expect(new HomePage(page).heading).toHaveText('Brookfield Primary School');
  const me = (await (await page.request.get('/api/auth/me')).json()) as { idleMinutes: number };
  const closedAt = await page.evaluate(() => Date.now());
  await page.close();

  const reopened = await context.newPage();
  await reopened.clock.install({ time: closedAt + me.idleMinutes * 60_000 + 1_000 });
  await reopened.goto('/');
  await expect(new AppShell(reopened).lockDialog).toBeVisible();
});
