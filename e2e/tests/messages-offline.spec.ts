import { expect, test } from '@playwright/test';
import { demoSignIn } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { InboxPage, NewMessagePage, PHONE, SentPage, TABLET } from './messages-pages.ts';
import { SyncLine } from './network-switch.ts';
import { SignInPage } from './sign-in-page.ts';
import { SyncStatusBar } from './sync-status-bar.ts';

test.describe.configure({ timeout: 120_000 });

test('a teacher writes a message with the network cut: it waits as sending, and is sent when the line returns', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: TABLET });
  const teacher = await context.newPage();
  const line = await SyncLine.on(teacher);
  await new SignInPage(teacher).signInAs(demoSignIn('Teacher'));
  const bar = new SyncStatusBar(teacher);
  await expect(bar.connection).toHaveText('Online');

  await line.cut();
  await expect(bar.connection).toHaveText('Offline');
  const compose = new NewMessagePage(teacher);
  await compose.open();
  const classes = teacher.getByRole('group', { name: 'Classes' }).locator('label');
  const className = (await classes.first().innerText()).replace(/\s*\(\d+ pupils\)$/, '').trim();
  await compose.chooseClass(className);
  const subject = `Written offline for ${className}`;
  await compose.write(subject, 'Sent when the Wi-Fi came back.');

  const sent = new SentPage(teacher);
  await expect(sent.row(subject)).toContainText('Sending…');
  await expect(bar.changes).toContainText('1 change waiting');

  line.restore();
  await expect(sent.row(subject)).toContainText(/0 of \d+ read/, { timeout: 45_000 });
  await expect(bar.changes).toHaveText('All changes sent');
  await context.close();
});

test('a parent reads a message offline; once back online, the teacher’s read count goes up', async ({
  browser,
}) => {
  const teacherContext = await browser.newContext({ viewport: TABLET });
  const teacher = await teacherContext.newPage();
  await new SignInPage(teacher).signInAs(demoSignIn('Teacher'));
  const sent = new SentPage(teacher);
  await sent.open();

  const parentContext = await browser.newContext({ viewport: PHONE });
  const parent = await parentContext.newPage();
  const line = await SyncLine.on(parent);
  await new SignInPage(parent).signInAs(demoSignIn('Parent'));
  const inbox = new InboxPage(parent);
  await inbox.open();
  const unread = parent.getByRole('link', { name: /^Unread / }).first();
  await expect(unread).toBeVisible();
  const subject = (await unread.innerText()).replace(/^Unread\s+/, '').trim();
  const countBefore = Number(
    /(\d+) of \d+ read/.exec(await sent.row(subject).innerText())?.[1] ?? Number.NaN,
  );
  expect(countBefore).not.toBeNaN();

  await line.cut();
  await expect(new SyncStatusBar(parent).connection).toHaveText('Offline');
  await unread.click();
  await expect(parent.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await parent.getByRole('link', { name: '← Back to Inbox' }).click();
  // Read on the phone at once, though the server has not heard yet.
  await expect(inbox.message(subject)).toHaveAccessibleName(subject);
  await expect(sent.row(subject)).toContainText(`${countBefore} of`);

  line.restore();
  await expect(sent.row(subject)).toContainText(`${countBefore + 1} of`, { timeout: 45_000 });
  await Promise.all([teacherContext.close(), parentContext.close()]);
});

test('after the first sign-in, the inbox and a message open with the network off', async ({
  page,
  context,
}) => {
  await new SignInPage(page).signInAs(demoSignIn('Parent'));
  await new HomePage(page).waitForServiceWorkerControl();
  const inbox = new InboxPage(page);
  await inbox.open();
  const first = page.getByRole('main').getByRole('list').getByRole('link').first();
  const subject = (await first.innerText()).replace(/^Unread\s+/, '').trim();
  await expect
    .poll(async () => Object.keys(await new SyncStatusBar(page).storedDocuments()).length)
    .toBeGreaterThan(0);

  await page.routeWebSocket(/\/sync/, (socket) => {
    void socket.close();
  });
  await context.setOffline(true);
  await page.goto('/inbox');
  await expect(inbox.heading).toBeVisible();
  await expect(new SyncStatusBar(page).connection).toHaveText('Offline');
  await inbox.message(subject).click();
  await expect(page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
});
