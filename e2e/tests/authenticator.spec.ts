import { expect, test } from '@playwright/test';
import { AppShell } from './app-shell.ts';
import { ActivatePage } from './activate-page.ts';
import { addStaffAccount } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { SignInPage } from './sign-in-page.ts';
import { totpNow } from './totp.ts';

test('an admin turns on an authenticator app, then signs in with a second step', async ({ page }) => {
  // An admin of its own, so the second factor bothers no other spec.
  const admin = {
    who: 'School admin: Ada Second',
    email: 'a.second@brookfield-primary.example.org',
    password: 'quartz meadow signal 55',
  };
  const activate = new ActivatePage(page);
  await activate.open();
  await activate.activate(addStaffAccount('Ada Second', admin.email, 'school-admin'), admin.password);
  await expect(page.getByText('Your account is ready')).toBeVisible();
  const signIn = new SignInPage(page);
  const home = new HomePage(page);
  await signIn.signInAs(admin);

  await page.goto('/account/authenticator');
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  const uri = await page.getByRole('link', { name: 'Open in authenticator app' }).getAttribute('href');
  expect(uri).toMatch(/^otpauth:\/\/totp\//);
  await page.getByRole('textbox', { name: 'Code shown in the app' }).fill(totpNow(uri ?? ''));
  await page.getByRole('button', { name: 'Turn on' }).click();
  const recoveryCodes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(recoveryCodes).toHaveCount(10);
  const recoveryCode = (await recoveryCodes.first().textContent()) ?? '';
  await page.getByRole('button', { name: 'I have kept my recovery codes' }).click();
  await expect(home.heading).toHaveText('Brookfield Primary School');

  await new AppShell(page).signOutButton.click();
  await signIn.signIn(admin.email, admin.password);
  const code = page.getByRole('textbox', { name: 'Authenticator code' });
  await expect(code).toBeFocused();
  await expect(page.getByText('Enter the code from your authenticator app.')).toBeVisible();

  await code.fill('000000');
  await signIn.submit.click();
  await expect(signIn.error).toHaveText(
    'That code is not right. Check your authenticator app and try again.',
  );
  // The code just used to turn the app on cannot be used again: a recovery code stands in for it.
  await code.fill(recoveryCode.trim());
  await signIn.submit.click();
  await expect(home.heading).toHaveText('Brookfield Primary School');
});
