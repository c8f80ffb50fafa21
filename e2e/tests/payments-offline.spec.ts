import { expect, test, type Browser, type Page } from '@playwright/test';
import { ActivatePage } from './activate-page.ts';
import { addStaffAccount, demoSignIn, nameOf } from './demo-data.ts';
import { TABLET } from './messages-pages.ts';
import { SyncLine } from './network-switch.ts';
import { openManageWallets } from './payments-pages.ts';
import { SignInPage } from './sign-in-page.ts';
import { SyncStatusBar } from './sync-status-bar.ts';

// Each device reconnects on its own backoff (up to 30 s), twice per order.
test.describe.configure({ timeout: 300_000 });

async function manageWallets(page: Page, parent: string): Promise<void> {
  await openManageWallets(page);
  await page.getByRole('searchbox', { name: 'Filter results' }).fill(parent);
}

async function settleOffline(page: Page, parent: string): Promise<void> {
  const row = page.getByRole('row', { name: new RegExp(parent) });
  await row.getByText('▸').click();
  await row.getByRole('button', { name: 'Mark as Settled' }).click();
  await page
    .getByRole('dialog', { name: 'Mark as Settled' })
    .getByRole('button', { name: 'Mark As Settled' })
    .click();
  await expect(row).toContainText('Settling… (waiting to reach the server)');
}

async function secondAdmin(browser: Browser): Promise<Page> {
  const code = addStaffAccount(
    'Omar Whitfield',
    'o.whitfield@brookfield-primary.example.org',
    'payments-admin',
  );
  const context = await browser.newContext({ viewport: TABLET });
  const page = await context.newPage();
  const activate = new ActivatePage(page);
  await activate.open();
  await activate.activate(code, 'ledger cobalt harbour 17');
  const signIn = new SignInPage(page);
  await expect(page.getByText('Your account is ready')).toBeVisible();
  await signIn.password.fill('ledger cobalt harbour 17');
  await signIn.submit.click();
  await page.waitForURL('/');
  return page;
}

test('two payments admins settle one wallet offline, reconnecting in both orders: one is accepted, the other is told who settled it, when and for how much', async ({
  browser,
}) => {
  const firstContext = await browser.newContext({ viewport: TABLET });
  const first = await firstContext.newPage();
  const firstLine = await SyncLine.on(first);
  await new SignInPage(first).signInAs(demoSignIn('Payments admin'));
  const second = await secondAdmin(browser);
  const secondLine = await SyncLine.on(second);
  await second.reload();
  const admins = [
    { page: first, line: firstLine, name: nameOf(demoSignIn('Payments admin')) },
    { page: second, line: secondLine, name: 'Omar Whitfield' },
  ];

  for (const [parent, order] of [
    ["Sinead O'Brien", [1, 0]],
    ["Matthew O'Brien", [0, 1]],
  ] as const) {
    const winner = admins[order[0]];
    const loser = admins[order[1]];
    if (!winner || !loser) throw new Error('two admins');
    // The wallet is closed first, online.
    await manageWallets(first, parent);
    await manageWallets(second, parent);
    const firstRow = first.getByRole('row', { name: new RegExp(parent) });
    await first.getByRole('checkbox', { name: `Tick ${parent}’s wallet` }).check();
    await first.getByRole('button', { name: 'Close Wallet', exact: true }).click();
    await first.getByRole('dialog').getByRole('button', { name: 'Close Wallets' }).click();
    await expect(firstRow).toContainText(/£[\d.]+ owed to the parent/);
    const owed = /(£[\d,.]+)/.exec(await firstRow.getByRole('cell').nth(2).innerText())?.[1] ?? '';
    await expect(second.getByRole('row', { name: new RegExp(parent) })).toContainText('Closed');

    // Both lose the network and both settle it.
    for (const admin of admins) {
      await admin.line.cut();
      await expect(new SyncStatusBar(admin.page).connection).toHaveText('Offline');
      await settleOffline(admin.page, parent);
    }

    // One device reaches the server first; the other is told, in words.
    winner.line.restore();
    const winnerRow = winner.page.getByRole('row', { name: new RegExp(parent) });
    await expect(winnerRow).toContainText('Settled', { timeout: 45_000 });
    loser.line.restore();
    const refusal = loser.page
      .getByRole('alert')
      .filter({ hasText: `${parent}'s wallet was already settled` });
    await expect(refusal).toContainText(winner.name, { timeout: 45_000 });
    await expect(refusal).toContainText(owed);
    // One refund only: both devices show nothing owed, not a debt.
    for (const admin of admins) {
      const row = admin.page.getByRole('row', { name: new RegExp(parent) });
      await expect(row).toContainText('Settled');
      await expect(row.getByRole('cell').nth(2)).toHaveText('£0.00');
    }
  }
  await Promise.all([firstContext.close(), second.context().close()]);
});
