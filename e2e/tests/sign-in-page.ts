import { expect, type Locator, type Page } from '@playwright/test';
import type { DemoSignIn } from './demo-data.ts';

/** /sign-in: email and password, then the authenticator code when the account has one. */
export class SignInPage {
  readonly heading: Locator;
  readonly email: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in' });
    this.email = page.getByRole('textbox', { name: 'Email address' });
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Sign in' });
    this.error = page.getByRole('alert');
  }

  async open(): Promise<void> {
    await this.page.goto('/sign-in');
    await expect(this.heading).toBeVisible();
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** Signs in and waits for the first page, which only a signed-in person reaches. */
  async signInAs(account: DemoSignIn): Promise<void> {
    await this.open();
    await this.signIn(account.email, account.password);
    await this.page.waitForURL('/');
  }
}
