import { expect, type Page } from '@playwright/test';

/**
 * Home → Payment → Manage Wallets, as the seed describes it. The sync bar may grow a line (a change
 * needing attention) as the page settles, moving the link under the pointer: a missed click is
 * tried again, a landed one is not.
 */
export async function openManageWallets(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Payment' }).click();
  // Arrived at Payment first: from Manage Wallets itself, the old page would otherwise pass for the new.
  await expect(page.getByRole('heading', { level: 1, name: 'Payment' })).toBeVisible();
  const heading = page.getByRole('heading', { level: 1, name: 'Manage Wallets' });
  await expect(async () => {
    if (!new URL(page.url()).pathname.endsWith('/payments/wallets'))
      await page.getByRole('link', { name: 'Manage Wallets' }).click({ timeout: 2_000 });
    await expect(heading).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
}
