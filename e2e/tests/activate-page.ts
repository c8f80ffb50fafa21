import { expect, type Locator, type Page } from '@playwright/test';

/** /activate: the code from the school's letter and a new password, twice. */
export class ActivatePage {
  readonly heading: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Activate your account' });
  }

  async open(): Promise<void> {
    await this.page.goto('/activate');
    await expect(this.heading).toBeVisible();
  }

  async activate(code: string, password: string): Promise<void> {
    await this.page.getByRole('textbox', { name: 'Activation code' }).fill(code);
    await this.page.getByLabel('New password', { exact: true }).fill(password);
    await this.page.getByLabel('New password again').fill(password);
    await this.page.getByRole('button', { name: 'Activate account' }).click();
  }
}
