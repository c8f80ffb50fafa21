import { expect, test, type Page } from '@playwright/test';
import { ActivatePage } from './activate-page.ts';
import { demoSignIn } from './demo-data.ts';
import { TABLET } from './messages-pages.ts';
import { lookAtScreen } from './screens.ts';
import { SignInPage } from './sign-in-page.ts';

const main = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('a school admin adds a staff account, changes its roles and signs it out, and prints parents’ letters', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: TABLET });
  const page = await context.newPage();
  await new SignInPage(page).signInAs(demoSignIn('School admin'));
  await main(page).getByRole('link', { name: 'People' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();

  // A new teaching assistant, given a code to set their password with.
  await page.getByLabel('Name', { exact: true }).fill('Nadia Okafor');
  await page.getByLabel('Email').fill('n.okafor@brookfield-primary.example.org');
  await page.getByRole('button', { name: 'Add account' }).click();
  const issued = page.getByRole('status').filter({ hasText: 'Nadia Okafor’s activation code' });
  await expect(issued).toBeVisible();
  const code = (await issued.locator('code').innerText()).trim();
  const row = page.getByRole('row', { name: /Nadia Okafor/ });
  await expect(row).toContainText('Not activated yet');

  // She activates on her own phone and signs in.
  const phone = await browser.newContext();
  const hers = await phone.newPage();
  const activate = new ActivatePage(hers);
  await activate.open();
  await activate.activate(code, 'marigold tandem violet 9');
  await expect(hers.getByText('Your account is ready')).toBeVisible();
  const signIn = new SignInPage(hers);
  await signIn.password.fill('marigold tandem violet 9');
  await signIn.submit.click();
  await hers.waitForURL('/');

  // She also looks after payments: the admin changes her roles, which signs her out to apply them.
  await page.reload();
  await row.getByRole('button', { name: 'Change roles for Nadia Okafor' }).click();
  await row.getByLabel('Payments admin').check();
  await row.getByRole('button', { name: 'Save roles' }).click();
  await expect(row).toContainText('Staff, Payments admin');
  await hers.reload();
  await expect(hers).toHaveURL(/\/sign-in/);

  // She signs in again; then her tablet goes missing, and the admin signs her out everywhere.
  await signIn.signIn('n.okafor@brookfield-primary.example.org', 'marigold tandem violet 9');
  await hers.waitForURL('/');
  await page.reload();
  await row.getByRole('button', { name: /^Sign out \(1\) Nadia Okafor on every device$/ }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Nadia Okafor is signed out on every device.' }),
  ).toBeAttached();
  await expect(row.getByRole('button', { name: /^Sign out \(0\)/ })).toBeDisabled();
  await hers.reload();
  await expect(hers).toHaveURL(/\/sign-in/);
  await phone.close();
  expect(await lookAtScreen(page, 'people')).toEqual({ phone: [], tablet: [] });

  // Letters for parents who have not activated: one per page on paper.
  await page.getByRole('button', { name: 'Make activation letters' }).click();
  await page
    .getByRole('dialog', { name: 'Make activation letters?' })
    .getByRole('button', { name: 'Make letters' })
    .click();
  const letters = page.getByRole('article', { name: /^Letter for / });
  await expect(letters.first()).toContainText('Brookfield Primary School');
  await expect(letters.first()).toContainText(/Enter your activation code: [A-Z0-9-]{8,}/);
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download for a mail merge (CSV)' }).click(),
  ]);
  expect(file.suggestedFilename()).toBe('activation-codes.csv');
  await page.emulateMedia({ media: 'print' });
  await expect(letters.first()).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: 'People' })).toBeHidden();
  await expect(main(page)).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await context.close();
});

test('a school admin changes the school’s settings; the account page shows a QR code to set up an authenticator', async ({
  page,
}) => {
  await new SignInPage(page).signInAs(demoSignIn('School admin'));
  await main(page).getByRole('link', { name: 'Settings' }).click();
  const hours = page.getByLabel(/counts as late after/);
  await expect(hours).toHaveValue('26');
  await hours.fill('30');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
  await page.reload();
  await expect(hours).toHaveValue('30');
  expect(await lookAtScreen(page, 'settings')).toEqual({ phone: [], tablet: [] });
  // Back as it was, for the other specs.
  await hours.fill('26');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();

  await main(page).getByRole('link', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await page.getByRole('link', { name: 'Set up an authenticator app' }).click();
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
  await expect(qr).toBeVisible();
  // Drawn in the page from the key: no image was fetched for it.
  expect(await qr.evaluate((svg) => svg.tagName.toLowerCase())).toBe('svg');
  expect(await lookAtScreen(page, 'authenticator')).toEqual({ phone: [], tablet: [] });
});
