import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { seriousAccessibilityIssues } from './accessibility.ts';
import { demoSignIn, runCli, yearEnd } from './demo-data.ts';
import { PHONE, TABLET } from './messages-pages.ts';
import { lookAtScreen } from './screens.ts';
import { SignInPage } from './sign-in-page.ts';

test.use({ baseURL: yearEnd.baseURL });

test.beforeAll(() => {
  // The 02:00 job for the leave date, run by hand: year 6 have left on this server.
  const daily = JSON.parse(runCli(['daily', '--as-of', yearEnd.leaveDate, '--json'], yearEnd.dataDir)) as {
    preview: boolean;
  };
  expect(daily.preview).toBe(false);
});

test('the leavers check shows the year’s leavers with their parents as expected, offline and on paper', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: TABLET, baseURL: yearEnd.baseURL });
  const page = await context.newPage();
  await new SignInPage(page).signInAs(demoSignIn('Teacher', yearEnd.dataDir));
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Year end' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Year end' })).toBeVisible();
  await expect(page.getByText('All leavers are marked.')).toBeVisible();
  // The server's preview of tonight's run, with when it was worked out.
  const tonight = page.getByRole('region', { name: 'Tonight at 02:00' });
  await expect(tonight).toContainText(/worked out at \d{1,2} \w{3}/);
  expect(await lookAtScreen(page, 'year-end')).toEqual({ phone: [], tablet: [] });

  await page.getByRole('link', { name: 'Leavers check' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Leavers check for 23 Jul 2027' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /leavers, 0 not as expected/ })).toBeVisible();
  const table = page.getByRole('table');
  const poppy = table.getByRole('row', { name: /^Poppy Daley/ });
  await expect(poppy).toContainText('23 Jul 2027');
  await expect(poppy).toContainText('LeaverLeaver');
  await expect(table.getByRole('row', { name: /Karen Daley/ }).first()).toContainText('LeaverLeaver');
  // Her father stays: Alfie is still at the school.
  await expect(table.getByRole('row', { name: /Mark Daley/ }).first()).toContainText(
    'Staying (a child stays)Active',
  );
  expect(await lookAtScreen(page, 'leavers-check')).toEqual({ phone: [], tablet: [] });

  // The finance office and the MIS lead get the same list as a file.
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download (CSV)' }).click(),
  ]);
  const csv = readFileSync(await file.path(), 'utf8');
  expect(csv).toMatch(/^leaver,contact,relationship,class,leaves,expected,applied,not as expected\r\n/);
  expect(csv).toMatch(/Poppy Daley,Karen Daley,\w+,,,Leaver,Leaver,\r\n/);

  // On paper: the school, the date and one table, none of the app around it.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('table')).toHaveCount(1);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(page.getByText('Brookfield Primary School')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Leavers check for 23 Jul 2027' })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // The tablet loses its Wi-Fi: the check still opens, from the directory on the device.
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Leavers check for 23 Jul 2027' })).toBeVisible();
  await expect(table.getByRole('row', { name: /^Poppy Daley/ })).toContainText('LeaverLeaver');
  // Another date, chosen offline: before year 6 leave, they are not on the list.
  await page.getByLabel('Leavers on').fill('2027-07-01');
  await page.getByLabel('Leavers on').dispatchEvent('change');
  await expect(page.getByRole('heading', { level: 1, name: 'Leavers check for 1 Jul 2027' })).toBeVisible();
  await expect(table.getByRole('row', { name: /^Poppy Daley/ })).toHaveCount(0);
  await page.setViewportSize(PHONE);
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
  await context.close();
});

test('a parent is not shown the year-end jobs', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: yearEnd.baseURL });
  const page = await context.newPage();
  await new SignInPage(page).signInAs(demoSignIn('Parent', yearEnd.dataDir));
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Year end' }),
  ).toHaveCount(0);
  await page.goto('/year-end/leavers');
  await expect(page.getByRole('alert')).toHaveText('Only school staff can run the leavers check.');
  await expect(page.getByRole('table')).toHaveCount(0);
  await context.close();
});
