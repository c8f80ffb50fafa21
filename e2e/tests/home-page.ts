import { expect, type Locator, type Page } from '@playwright/test';

/** The first page: the school's name and its numbers for today. */
export class HomePage {
  readonly heading: Locator;
  readonly offlineNotice: Locator;

  constructor(private readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.offlineNotice = page.getByRole('main').getByRole('status');
  }

  async open(): Promise<void> {
    await this.page.goto('/');
  }

  async count(name: 'pupils' | 'contacts' | 'classes'): Promise<number> {
    return Number(await this.page.getByTestId(`count-${name}`).textContent());
  }

  async expectCounts(counts: { pupils: number; contacts: number; classes: number }): Promise<void> {
    await expect(this.page.getByTestId('count-pupils')).toHaveText(String(counts.pupils));
    await expect(this.page.getByTestId('count-contacts')).toHaveText(String(counts.contacts));
    await expect(this.page.getByTestId('count-classes')).toHaveText(String(counts.classes));
  }

  /** The offline reload is only meaningful once the service worker controls this page. */
  async waitForServiceWorkerControl(): Promise<void> {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The worker claims open pages once active; until it does, a reload would go to the network.
    await this.page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
      timeout: 10_000,
    });
  }
}
