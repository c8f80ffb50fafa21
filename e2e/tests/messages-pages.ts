import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { ActivatePage } from './activate-page.ts';
import type { ActivationCode } from './demo-data.ts';
import { SignInPage } from './sign-in-page.ts';

export const PHONE = { width: 390, height: 844 };
export const TABLET = { width: 1024, height: 768 };

/** Sent: the staff's list of messages, with selection and bulk delete. */
export class SentPage {
  readonly heading: Locator;
  readonly deleteButton: Locator;
  readonly confirmDialog: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Sent' });
    this.deleteButton = page.getByRole('button', { name: 'Delete', exact: true });
    this.confirmDialog = page.getByRole('dialog');
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sent' }).click();
    await expect(this.heading).toBeVisible();
  }

  row(subject: string): Locator {
    return this.page
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('link', { name: subject, exact: true }) });
  }

  /** The selection box to the left of a message's subject. */
  select(subject: string): Locator {
    return this.page.getByRole('checkbox', { name: `Select “${subject}”` });
  }
}

/** Messages → New message: audience, preview, subject and body. */
export class NewMessagePage {
  readonly heading: Locator;
  readonly subject: Locator;
  readonly body: Locator;
  readonly send: Locator;
  readonly preview: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'New message' });
    this.subject = page.getByRole('textbox', { name: 'Subject' });
    this.body = page.getByRole('textbox', { name: 'Message' });
    this.send = page.getByRole('button', { name: 'Send' });
    this.preview = page.getByRole('region', { name: 'Who will receive it' });
  }

  async open(): Promise<void> {
    await this.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'New message' })
      .click();
    await expect(this.heading).toBeVisible();
  }

  /** Ticks one class and returns the names of the parents the preview says will receive it. */
  async chooseClass(name: string): Promise<string[]> {
    await this.page
      .getByRole('group', { name: 'Classes' })
      .getByRole('checkbox', { name: new RegExp(`^${name} \\(`) })
      .check();
    await expect(this.preview).toContainText('will receive this message');
    await this.preview.getByText('Show the parents').click();
    const items = await this.preview.getByRole('list').first().getByRole('listitem').allInnerTexts();
    return items.map((text) => text.replace(/\s*\(about .*\)$/, '').trim());
  }

  async write(subject: string, body: string): Promise<void> {
    await this.subject.fill(subject);
    await this.body.fill(body);
    await this.send.click();
  }
}

/** A parent's Inbox. */
export class InboxPage {
  readonly heading: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: /^Inbox/ });
  }

  async open(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox' }).click();
    await expect(this.heading).toBeVisible();
  }

  message(subject: string): Locator {
    return this.page.getByRole('link', { name: new RegExp(`^(Unread\\s+)?${escape(subject)}$`) });
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A parent activates their account from the school's letter and signs in, on a phone. */
export async function parentOnPhone(
  browser: Browser,
  code: ActivationCode,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const password = 'meadow copper violin 81';
  const activate = new ActivatePage(page);
  await activate.open();
  await activate.activate(code.code, password);
  const signIn = new SignInPage(page);
  await expect(page.getByText('Your account is ready')).toBeVisible();
  await signIn.password.fill(password);
  await signIn.submit.click();
  await page.waitForURL('/');
  return { context, page };
}
