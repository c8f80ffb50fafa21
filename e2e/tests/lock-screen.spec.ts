import { expect, test, type Page } from '@playwright/test';
import { seriousAccessibilityIssues } from './accessibility.ts';
import { AppShell } from './app-shell.ts';
import { demoSignIn, nameOf, type DemoSignIn } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { SignInPage } from './sign-in-page.ts';

/** Signs the teacher in under a fake page clock and lets their idle time pass without a touch. */
async function leaveIdle(page: Page): Promise<{ teacher: DemoSignIn; shell: AppShell }> {
  // The page's own clock, so that the idle time takes no time; the server keeps real time.
  await page.clock.install();
  const teacher = demoSignIn('Teacher');
  await new SignInPage(page).signInAs(teacher);
  const shell = new AppShell(page);
  await expect(shell.signedInAs(nameOf(teacher))).toBeVisible();
  const me = (await (await page.request.get('/api/auth/me')).json()) as { idleMinutes: number };
  await page.clock.fastForward(me.idleMinutes * 60_000 + 1_000);
  return { teacher, shell };
}

test('a teacher’s screen locks after the idle time and opens again with the password', async ({ page }) => {
  const { teacher, shell } = await leaveIdle(page);
  await expect(shell.lockDialog).toBeVisible();
  const password = shell.lockDialog.getByLabel('Password');
  await expect(password).toBeFocused();
  expect(await seriousAccessibilityIssues(page)).toEqual([]);

  // A reload is no way past the lock.
  await page.reload();
  await expect(shell.lockDialog).toBeVisible();

  await password.fill('not the password');
  await shell.lockDialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(shell.lockDialog.getByRole('alert')).toHaveText(
    'That email address and password do not match an account.',
  );
  await password.fill(teacher.password);
  await shell.lockDialog.getByRole('button', { name: 'Unlock' }).click();
  await expect(shell.lockDialog).toBeHidden();
  await expect(new HomePage(page).heading).toHaveText('Brookfield Primary School');
});

test('signing out from the lock screen wipes the device like any sign-out', async ({ page }) => {
  const { shell } = await leaveIdle(page);
  await expect(shell.lockDialog).toBeVisible();
  await shell.lockDialog.getByRole('button', { name: 'Sign out' }).click();
  await expect(new SignInPage(page).heading).toBeVisible();
  await expect(shell.lockDialog).toBeHidden();
  expect(await shell.localStorageNames()).toEqual({ databases: [], caches: [] });
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);
});
