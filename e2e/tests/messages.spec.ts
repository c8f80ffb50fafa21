import { expect, test, type Page } from '@playwright/test';
import { seriousAccessibilityIssues } from './accessibility.ts';
import { activationCodes, demoSignIn, type ActivationCode } from './demo-data.ts';
import { InboxPage, NewMessagePage, PHONE, SentPage, TABLET, parentOnPhone } from './messages-pages.ts';
import { SignInPage } from './sign-in-page.ts';

test.describe.configure({ timeout: 120_000 });

/** Ticks classes in turn until one reaches two parents still waiting to activate; returns them. */
async function classWithTwoNewParents(
  page: Page,
  compose: NewMessagePage,
): Promise<{ className: string; inClass: ActivationCode[]; elsewhere: ActivationCode }> {
  const codes = activationCodes().filter((row) => row.email !== '');
  const classes = page.getByRole('group', { name: 'Classes' }).getByRole('checkbox');
  const labels = (await page.getByRole('group', { name: 'Classes' }).locator('label').allInnerTexts()).map(
    (text) => text.replace(/\s*\(\d+ pupils\)$/, '').trim(),
  );
  for (const [index, className] of labels.entries()) {
    const names = await compose.chooseClass(className);
    const inClass = codes.filter((code) => names.includes(code.name));
    const elsewhere = codes.find((code) => !names.includes(code.name));
    if (inClass.length >= 2 && elsewhere) return { className, inClass: inClass.slice(0, 2), elsewhere };
    await classes.nth(index).uncheck();
  }
  throw new Error('No class of the demo school has two parents waiting to activate');
}

test('a teacher sends to one class, its parents see it live, and a bulk delete takes it from every inbox', async ({
  browser,
}) => {
  const teacherContext = await browser.newContext({ viewport: TABLET });
  const teacher = await teacherContext.newPage();
  await new SignInPage(teacher).signInAs(demoSignIn('Teacher'));
  const compose = new NewMessagePage(teacher);
  await compose.open();
  const { className, inClass, elsewhere } = await classWithTwoNewParents(teacher, compose);
  expect(await seriousAccessibilityIssues(teacher)).toEqual([]);

  // The parents sign in on their phones and leave their inboxes open.
  const [first, second, other] = await Promise.all(
    [...inClass, elsewhere].map((code) => parentOnPhone(browser, code)),
  );
  if (!first || !second || !other) throw new Error('three parents');
  const firstInbox = new InboxPage(first.page);
  const secondInbox = new InboxPage(second.page);
  const otherInbox = new InboxPage(other.page);
  for (const inbox of [firstInbox, secondInbox, otherInbox]) await inbox.open();

  const subject = `Trip to the farm, ${className}`;
  await compose.write(subject, 'Please bring wellies. Details: https://example.org/farm-trip');
  const sent = new SentPage(teacher);
  await expect(sent.heading).toBeVisible();
  await expect(sent.row(subject)).toContainText(/0 of \d+ read/);

  // Without a reload: the two parents of the class see it, the other parent does not.
  await expect(firstInbox.message(subject)).toBeVisible();
  await expect(secondInbox.message(subject)).toBeVisible();
  await expect(first.page.getByRole('heading', { name: /1 unread|\d+ unread/ })).toBeVisible();
  expect(await seriousAccessibilityIssues(first.page)).toEqual([]);

  // A parent opens it: it is read, its link works, and the teacher's count goes up.
  await firstInbox.message(subject).click();
  await expect(first.page.getByRole('heading', { level: 1, name: subject })).toBeVisible();
  await expect(first.page.getByRole('link', { name: 'https://example.org/farm-trip' })).toBeVisible();
  expect(await seriousAccessibilityIssues(first.page)).toEqual([]);
  await expect(sent.row(subject)).toContainText(/1 of \d+ read/);
  await expect(otherInbox.message(subject)).toHaveCount(0);

  // Nothing on a parent's screens deletes anything.
  for (const page of [first.page, second.page]) {
    await expect(page.getByRole('button', { name: /delete/i })).toHaveCount(0);
    await expect(page.getByRole('checkbox')).toHaveCount(0);
  }

  // A second message, then both go: selected by the box left of the subject, Delete at the top.
  await compose.open();
  await teacher.getByRole('radio', { name: 'Chosen groups' }).check();
  await compose.chooseClass(className);
  const reminder = `Farm trip reminder, ${className}`;
  await compose.write(reminder, 'Tomorrow!');
  await expect(sent.row(reminder)).toContainText(/0 of \d+ read/);
  await expect(secondInbox.message(reminder)).toBeVisible();
  await expect(sent.deleteButton).toHaveCount(0);
  await sent.select(subject).check();
  await sent.select(reminder).check();
  await expect(sent.deleteButton).toBeVisible();
  expect(await seriousAccessibilityIssues(teacher)).toEqual([]);
  await sent.deleteButton.click();
  await expect(sent.confirmDialog).toContainText('Delete 2 messages?');
  await expect(sent.confirmDialog).toContainText('every parent’s inbox');
  await sent.confirmDialog.getByRole('button', { name: 'Delete 2 messages' }).click();

  await expect(sent.row(subject)).toHaveCount(0);
  await expect(sent.row(reminder)).toHaveCount(0);
  await first.page.getByRole('link', { name: '← Back to Inbox' }).click();
  for (const inbox of [firstInbox, secondInbox]) {
    await expect(inbox.message(subject)).toHaveCount(0);
    await expect(inbox.message(reminder)).toHaveCount(0);
  }

  await teacher.setViewportSize(PHONE);
  expect(await seriousAccessibilityIssues(teacher)).toEqual([]);
  await first.page.setViewportSize(TABLET);
  expect(await seriousAccessibilityIssues(first.page)).toEqual([]);
  await Promise.all(
    [teacherContext, first.context, second.context, other.context].map((each) => each.close()),
  );
});

test('every message screen has no serious accessibility issue, on a phone and on a tablet', async ({
  browser,
}) => {
  for (const viewport of [PHONE, TABLET]) {
    const staffContext = await browser.newContext({ viewport });
    const teacher = await staffContext.newPage();
    await new SignInPage(teacher).signInAs(demoSignIn('Teacher'));
    const compose = new NewMessagePage(teacher);
    await compose.open();
    await teacher.getByRole('radio', { name: 'Whole school' }).check();
    await expect(compose.preview).toContainText('will receive this message');
    expect(await seriousAccessibilityIssues(teacher), `new message ${viewport.width}`).toEqual([]);
    const sent = new SentPage(teacher);
    await sent.open();
    expect(await seriousAccessibilityIssues(teacher), `sent ${viewport.width}`).toEqual([]);
    await teacher.getByRole('link', { name: 'Class assembly' }).click();
    await expect(teacher.getByRole('heading', { name: 'Recipients' })).toBeVisible();
    await expect(teacher.getByRole('table')).toBeVisible();
    expect(await seriousAccessibilityIssues(teacher), `message ${viewport.width}`).toEqual([]);
    await staffContext.close();

    const parentContext = await browser.newContext({ viewport });
    const parent = await parentContext.newPage();
    await new SignInPage(parent).signInAs(demoSignIn('Parent'));
    await new InboxPage(parent).open();
    expect(await seriousAccessibilityIssues(parent), `inbox ${viewport.width}`).toEqual([]);
    await parent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Children' }).click();
    await expect(parent.getByRole('heading', { level: 1, name: 'Children' })).toBeVisible();
    await expect(parent.getByRole('listitem').filter({ hasText: 'Poppy Daley' })).toBeVisible();
    expect(await seriousAccessibilityIssues(parent), `children ${viewport.width}`).toEqual([]);
    await parentContext.close();
  }
});
