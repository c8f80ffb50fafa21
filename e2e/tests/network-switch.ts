import type { Page, WebSocketRoute } from '@playwright/test';

/**
 * Cuts a page's sync traffic, sockets and plain requests alike, and lets it through again: as a
 * school's Wi-Fi does. Installed before the page opens its first socket.
 */
export class SyncLine {
  #isCut = false;
  #sockets = new Set<WebSocketRoute>();

  private constructor() {}

  static async on(page: Page): Promise<SyncLine> {
    const line = new SyncLine();
    await page.routeWebSocket(/\/sync/, (socket) => {
      if (line.#isCut) {
        void socket.close();
        return;
      }
      line.#sockets.add(socket);
      socket.connectToServer();
    });
    await page.route('**/api/sync', async (route) => {
      if (line.#isCut) await route.abort('internetdisconnected');
      else await route.continue();
    });
    return line;
  }

  async cut(): Promise<void> {
    this.#isCut = true;
    await Promise.all([...this.#sockets].map((socket) => socket.close()));
    this.#sockets.clear();
  }

  restore(): void {
    this.#isCut = false;
  }
}
