import { expect, test, type Page } from '@playwright/test';
import { seriousAccessibilityIssues } from './accessibility.ts';
import { demoSignIn } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { SignInPage } from './sign-in-page.ts';

interface Summary {
  name: string;
  counts: { pupils: number; contacts: number; classes: number };
}

async function signInAsTeacher(page: Page): Promise<HomePage> {
  await new SignInPage(page).signInAs(demoSignIn('Teacher'));
  return new HomePage(page);
}

test('the health check answers ok', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.ok()).toBe(true);
  // Public and cheap: it says the database answers, not what a whole-file check found.
  const body = (await response.json()) as { status: string; schemaVersion: number; database?: string };
  expect(body.status).toBe('ok');
  expect(body.schemaVersion).toBeGreaterThan(0);
  expect(body.database).toBeUndefined();
});

test('the first page shows the demo school and today’s numbers to the teacher', async ({ page }) => {
  const home = await signInAsTeacher(page);
  await expect(home.heading).toHaveText('Brookfield Primary School');
  // The browser's own session, so the numbers are the ones this person may see.
  const response = await page.request.get('/api/school/summary');
  expect(response.status()).toBe(200);
  const summary = (await response.json()) as Summary;
  await home.expectCounts(summary.counts);
  expect(summary.counts.pupils).toBeGreaterThan(350);
  expect(summary.counts.classes).toBe(14);
});

test('the sign-in page and the first page have no serious accessibility issue', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.open();
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
  const home = await signInAsTeacher(page);
  await expect(home.heading).toHaveText('Brookfield Primary School');
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
});

test('the first page reloads with the network off, from the service worker and the saved copy', async ({
  page,
  context,
}) => {
  const home = await signInAsTeacher(page);
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
