import type { Locator, Page } from '@playwright/test';

/** The sync status bar every signed-in screen shows. */
export class SyncStatusBar {
  readonly region: Locator;
  readonly connection: Locator;
  readonly changes: Locator;

  constructor(private readonly page: Page) {
    this.region = page.getByRole('region', { name: 'Sync status' });
    this.connection = this.region.locator('.connection');
    this.changes = this.region.locator('.changes');
  }

  /** Stored Yjs updates per synced document, read from the app's own IndexedDB. */
  async storedDocuments(): Promise<Record<string, number>> {
    return this.page.evaluate(
      () =>
        new Promise<Record<string, number>>((resolve, reject) => {
          const request = indexedDB.open('schoolping');
          request.onerror = () => {
            reject(new Error('could not open the database'));
          };
          request.onsuccess = () => {
            const db = request.result;
            const counts: Record<string, number> = {};
            const cursor = db.transaction('docUpdates').objectStore('docUpdates').openCursor();
            cursor.onsuccess = () => {
              const row = cursor.result;
              if (!row) {
                db.close();
                resolve(counts);
                return;
              }
              const { doc } = row.value as { doc: string };
              counts[doc] = (counts[doc] ?? 0) + 1;
              row.continue();
            };
          };
        }),
    );
  }
}
