import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { seriousAccessibilityIssues } from './accessibility.ts';
import { demoSignIn } from './demo-data.ts';
import { TABLET } from './messages-pages.ts';
import { openManageWallets } from './payments-pages.ts';
import { lookAtScreen } from './screens.ts';
import { SignInPage } from './sign-in-page.ts';

test('a payments admin closes a leaver’s wallet and marks it as settled; a staying child keeps a wallet open', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: TABLET });
  const page = await context.newPage();
  await new SignInPage(page).signInAs(demoSignIn('Payments admin'));
  await openManageWallets(page);
  const filter = page.getByRole('searchbox', { name: 'Filter results' });

  // Mark Daley's wallet stays open: Alfie is staying, and the tick says so.
  await filter.fill('Mark Daley');
  const mark = page.getByRole('checkbox', { name: 'Tick Mark Daley’s wallet' });
  await expect(mark).toBeDisabled();
  await expect(page.getByRole('row', { name: /Mark Daley/ })).toContainText(
    /Alfie Daley \(2 Hazel\) (is|are) still at the school/,
  );

  // Money taken at the office goes on an open wallet, in pounds and pence.
  const markRow = page.getByRole('row', { name: /Mark Daley/ });
  await markRow.getByText('▸').click();
  await markRow.getByRole('button', { name: 'Record a top-up or charge' }).click();
  const entry = page.getByRole('dialog', { name: 'Record a top-up or charge' });
  // Slips are caught in the dialog, with what to do instead, and nothing is sent.
  await entry.getByLabel('Amount in £').fill('1000.01');
  await entry.getByLabel('What it is for').fill('Cash at the office');
  await entry.getByRole('button', { name: 'Record' }).click();
  await expect(entry.getByRole('alert')).toHaveText(
    'Give an amount in pounds and pence, such as 12.50, up to £1,000.00.',
  );
  await entry.getByLabel('Amount in £').fill('5');
  await entry.getByLabel('What it is for').fill('  ');
  await entry.getByRole('button', { name: 'Record' }).click();
  await expect(entry.getByRole('alert')).toHaveText(/^Say what it is for/);
  await expect(markRow).toContainText('£32.50');
  await entry.getByLabel('What it is for').fill('Cash at the office');
  await entry.getByRole('button', { name: 'Record' }).click();
  await expect(markRow).toContainText('£37.50');

  // A family whose only child has left.
  await filter.fill('Karen Shah');
  const row = page.getByRole('row', { name: /Karen Shah/ });
  await expect(row).toContainText('Leaver');
  await page.getByRole('checkbox', { name: 'Tick Karen Shah’s wallet' }).check();
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
  await page.getByRole('button', { name: 'Close Wallet', exact: true }).click();
  const warning = page.getByRole('dialog', { name: 'Closed wallets cannot be re-opened' });
  await expect(warning).toBeVisible();
  await warning.getByRole('button', { name: 'Close Wallets' }).click();
  await expect(row).toContainText('Closed');
  // The balance owed to the parent, in orange and in words.
  const balance = row.getByRole('cell').nth(2);
  await expect(balance).toContainText('£89.50');
  await expect(balance).toContainText('owed to the parent');
  await expect(balance).toHaveCSS('color', 'rgb(163, 71, 0)');

  await row.getByText('▸').click();
  await row.getByRole('button', { name: 'Mark as Settled' }).click();
  const settle = page.getByRole('dialog', { name: 'Mark as Settled' });
  await expect(settle.getByLabel('Date of the refund')).not.toHaveValue('');
  await settle.getByRole('button', { name: 'Mark As Settled' }).click();
  await expect(row).toContainText('Settled');
  await expect(row).toContainText('£0.00');
  await expect(row.getByRole('cell').nth(4)).toHaveText(/\d{1,2} \w{3} \d{4}/);
  await expect(row.getByRole('cell').nth(5)).toHaveText(/\d{1,2} \w{3} \d{4}/);
  // No way back: a settled wallet offers nothing to reopen it.
  await expect(page.getByRole('button', { name: /re-?open/i })).toHaveCount(0);

  // The finance office's export lists the refund.
  await page.getByLabel('Refunds from').fill('2027-01-01');
  await page.getByLabel('to', { exact: true }).fill('2027-12-31');
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download settlements (CSV)' }).click(),
  ]);
  const text = readFileSync(await file.path(), 'utf8');
  expect(text).toMatch(
    /^parent,children,amount refunded,refund date,closed on,closed by,settled on,settled by\r\n/,
  );
  expect(text).toContain('Karen Shah,');
  expect(text).toContain(',£89.50,');

  expect(await lookAtScreen(page, 'manage-wallets', { fullPage: false })).toEqual({ phone: [], tablet: [] });
  await context.close();
});

test('a teacher and a parent are not shown Manage Wallets, and get nothing from it', async ({ browser }) => {
  for (const who of ['Teacher', 'Parent'] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await new SignInPage(page).signInAs(demoSignIn(who));
    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payment' }),
    ).toHaveCount(0);
    await page.goto('/payments/wallets');
    await expect(page.getByRole('alert')).toHaveText('Only payments admins can manage wallets.');
    await expect(page.getByRole('row')).toHaveCount(0);
    const docs = (await (await page.request.get('/api/sync/docs')).json()) as { docs: { kind: string }[] };
    expect(docs.docs.map((doc) => doc.kind)).not.toContain('payments');
    await context.close();
  }
});

test('a parent sees their wallet: balance, children and recent entries', async ({ page }) => {
  await new SignInPage(page).signInAs(demoSignIn('Parent'));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Wallet' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Wallet' })).toBeVisible();
  await expect(page.getByRole('definition').first()).toHaveText(/^-?£[\d,]+\.\d{2}$/);
  await expect(page.getByText('Poppy Daley (6 Ash)')).toBeVisible();
  await expect(page.getByRole('table').getByRole('row')).not.toHaveCount(0);
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
});
