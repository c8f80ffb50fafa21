import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { HomePage } from './home-page.ts';

test('the health check answers ok', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.ok()).toBe(true);
  expect(await response.json()).toMatchObject({ status: 'ok', database: 'ok' });
});

test('the first page shows the demo school and today’s numbers', async ({ page, request }) => {
  const summary = (await (await request.get('/api/school/summary')).json()) as {
    name: string;
    counts: { pupils: number; contacts: number; classes: number };
  };
  const home = new HomePage(page);
  await home.open();
  await expect(home.heading).toHaveText('Brookfield Primary School');
  await home.expectCounts(summary.counts);
  expect(summary.counts.pupils).toBeGreaterThan(350);
  expect(summary.counts.classes).toBe(14);
});

test('the first page has no serious accessibility issue', async ({ page }) => {
  const home = new HomePage(page);
  await home.open();
  await expect(home.heading).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) =>
    ['serious', 'critical'].includes(violation.impact ?? ''),
  );
  expect(serious).toEqual([]);
});

test('the first page reloads with the network off, from the service worker and the saved copy', async ({
  page,
  context,
}) => {
  const home = new HomePage(page);
  await home.open();
  await expect(home.heading).toHaveText('Brookfield Primary School');
  const pupilsOnline = await home.count('pupils');
  await home.waitForServiceWorkerControl();

  await context.setOffline(true);
  await page.reload();

  await expect(home.heading).toHaveText('Brookfield Primary School');
  await expect(home.offlineNotice).toContainText('You are offline');
  expect(await home.count('pupils')).toBe(pupilsOnline);
  await context.setOffline(false);
});
