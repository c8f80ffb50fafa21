import type { Locator, Page } from '@playwright/test';

/** What every signed-in page has: the header with who is signed in, and the lock screen. */
export class AppShell {
  readonly header: Locator;
  readonly signOutButton: Locator;
  readonly lockDialog: Locator;

  constructor(private readonly page: Page) {
    this.header = page.getByRole('banner');
    this.signOutButton = this.header.getByRole('button', { name: 'Sign out' });
    this.lockDialog = page.getByRole('dialog', { name: 'SchoolPing is locked' });
  }

  signedInAs(name: string): Locator {
    return this.header.getByText(`Signed in as ${name}`);
  }

  /** The names of every IndexedDB database and Cache Storage cache this origin holds. */
  async localStorageNames(): Promise<{ databases: string[]; caches: string[] }> {
    return this.page.evaluate(async () => ({
      databases: (await indexedDB.databases()).map((info) => info.name ?? ''),
      caches: await caches.keys(),
    }));
  }
}
