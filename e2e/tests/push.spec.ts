import { expect, test } from '@playwright/test';
import { demoSignIn } from './demo-data.ts';
import { HomePage } from './home-page.ts';
import { InboxPage } from './messages-pages.ts';
import { SignInPage } from './sign-in-page.ts';

test('a push to the service worker shows a notification with no message text, and nothing is asked on arrival', async ({
  page,
  context,
  baseURL,
}) => {
  await new SignInPage(page).signInAs(demoSignIn('Parent'));
  await new HomePage(page).waitForServiceWorkerControl();
  await new InboxPage(page).open();
  // The parent has not tapped anything: the browser has not been asked for permission.
  await expect(page.getByRole('button', { name: 'Turn on notifications' })).toBeVisible();
  expect(await page.evaluate(() => Notification.permission)).toBe('default');

  await context.grantPermissions(['notifications']);
  const cdp = await context.newCDPSession(page);
  const registrationId = new Promise<string>((resolve) => {
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const ours = registrations.find((each) => each.scopeURL.startsWith(baseURL ?? ''));
      if (ours) resolve(ours.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.deliverPushMessage', {
    origin: new URL(baseURL ?? '').origin,
    registrationId: await registrationId,
    data: JSON.stringify({
      title: 'New message from Brookfield Primary School',
      url: '/inbox/demo-message-1',
    }),
  });

  await expect
    .poll(() =>
      page.evaluate(async () =>
        (await (await navigator.serviceWorker.ready).getNotifications()).map((each) => ({
          title: each.title,
          body: each.body,
          url: (each.data as { url?: string } | null)?.url,
        })),
      ),
    )
    .toEqual([
      {
        title: 'New message from Brookfield Primary School',
        body: 'Open SchoolPing to read it.',
        url: '/inbox/demo-message-1',
      },
    ]);
});

test('a school admin sees on the home page whether parents are being reached', async ({ page }) => {
  await new SignInPage(page).signInAs(demoSignIn('School admin'));
  const card = page.getByRole('region', { name: 'Reaching parents' });
  await expect(card).toContainText(/\d+ notified on their phones, \d+ by email, \d+ not reached\./);
});
