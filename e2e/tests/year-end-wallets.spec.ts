import { expect, test } from '@playwright/test';
import { seriousAccessibilityIssues } from './accessibility.ts';
import { demoSignIn, runCli, yearEnd } from './demo-data.ts';
import { PHONE, TABLET } from './messages-pages.ts';
import { openManageWallets } from './payments-pages.ts';
import { SignInPage } from './sign-in-page.ts';

test.use({ baseURL: yearEnd.baseURL });

test.beforeAll(() => {
  // The school's 02:00 job for the leave date, as its IT person would run it by hand: it applies
  // (today is that date on this server; the server's own catch-up run may have been first).
  const daily = JSON.parse(runCli(['daily', '--as-of', yearEnd.leaveDate, '--json'], yearEnd.dataDir)) as {
    preview: boolean;
  };
  expect(daily.preview).toBe(false);
  // The leavers check agrees: Poppy has left with her mother; her father stays for Alfie.
  const check = JSON.parse(runCli(['leavers', '--date', yearEnd.leaveDate, '--json'], yearEnd.dataDir)) as {
    pupils: { name: string; contacts: { name: string; expected: string; actual: string }[] }[];
  };
  expect(check.pupils.find((pupil) => pupil.name === 'Poppy Daley')?.contacts).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ name: 'Karen Daley', expected: 'leaver', actual: 'leaver' }),
      expect.objectContaining({ name: 'Mark Daley', expected: 'active', actual: 'active' }),
    ]),
  );
});

test('at year end a payments admin closes and settles a leaver’s wallet, and the parent’s Wallet agrees', async ({
  browser,
}) => {
  const admin = await browser.newContext({ viewport: TABLET, baseURL: yearEnd.baseURL });
  const page = await admin.newPage();
  await new SignInPage(page).signInAs(demoSignIn('Payments admin', yearEnd.dataDir));
  await openManageWallets(page);

  // Filtered by a leaver's name: both of Poppy's parents' wallets.
  await page.getByRole('searchbox', { name: 'Filter results' }).fill('Poppy Daley');
  const karen = page.getByRole('row', { name: /Karen Daley/ });
  const mark = page.getByRole('row', { name: /Mark Daley/ });
  await expect(karen).toContainText('Leaver, left 23 Jul 2027');

  // Mark Daley's Alfie is staying: his wallet cannot be closed, and the page says why.
  await expect(page.getByRole('checkbox', { name: 'Tick Mark Daley’s wallet' })).toBeDisabled();
  await expect(mark).toContainText(/Alfie Daley \(2 Hazel\) is still at the school/);

  // Karen Daley's only child has left: her wallet is closed…
  const owed = (await karen.getByRole('cell').nth(2).innerText()).trim();
  expect(owed).toMatch(/^£\d+\.\d{2}$/);
  await page.getByRole('checkbox', { name: 'Tick Karen Daley’s wallet' }).check();
  await page.getByRole('button', { name: 'Close Wallet', exact: true }).click();
  const warning = page.getByRole('dialog', { name: 'Closed wallets cannot be re-opened' });
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: 'Close Wallets' }).click();
  await expect(karen).toContainText('Closed');
  const balance = karen.getByRole('cell').nth(2);
  await expect(balance).toHaveText(`${owed} owed to the parent`);
  await expect(balance).toHaveCSS('color', 'rgb(163, 71, 0)');
  await expect(karen.getByRole('cell').nth(4)).toHaveText('23 Jul 2027');

  // …and settled with the refund date.
  await karen.getByText('▸').click();
  await karen.getByRole('button', { name: 'Mark as Settled' }).click();
  const settle = page.getByRole('dialog', { name: 'Mark as Settled' });
  await settle.getByLabel('Date of the refund').fill(yearEnd.leaveDate);
  await settle.getByRole('button', { name: 'Mark As Settled' }).click();
  await expect(karen).toContainText('Settled');
  await expect(karen.getByRole('cell').nth(2)).toHaveText('£0.00');
  await expect(karen.getByRole('cell').nth(4)).toHaveText('23 Jul 2027');
  await expect(karen.getByRole('cell').nth(5)).toHaveText('23 Jul 2027');
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
  await admin.close();

  // Karen Daley, read-only now her child has left, sees the same wallet on her phone.
  const parent = await browser.newContext({ viewport: PHONE, baseURL: yearEnd.baseURL });
  const phone = await parent.newPage();
  await new SignInPage(phone).signInAs(demoSignIn('Parent', yearEnd.dataDir));
  await phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Wallet' }).click();
  await expect(phone.getByRole('heading', { level: 1, name: 'Wallet' })).toBeVisible();
  const facts = phone.getByRole('definition');
  await expect(facts.nth(0)).toHaveText('£0.00');
  await expect(facts.nth(1)).toContainText('Poppy Daley');
  await expect(facts.nth(2)).toHaveText('Settled: closed on 23 Jul 2027, refunded on 23 Jul 2027');
  // The refund is the newest movement, for the amount the admin saw owed.
  await expect(phone.getByRole('table').getByRole('row').nth(1)).toContainText(`-${owed}`);
  expect(await seriousAccessibilityIssues(phone)).toEqual([]);
  await parent.close();
});
