import { expect, test, type Page } from '@playwright/test';
import { demoSignIn, type DemoRole } from './demo-data.ts';
import { lookAtScreen } from './screens.ts';
import { SignInPage } from './sign-in-page.ts';

/*
 * Every screen of every role, at phone and tablet size: axe finds nothing serious or critical, and
 * a screenshot of each is left in test-results/screens/ for people to look at.
 */

interface Screen {
  readonly name: string;
  readonly path: string;
  /** Opens a detail screen from the list at `path`. */
  readonly open?: (page: Page) => Promise<void>;
}

const SCREENS: Record<DemoRole, readonly Screen[]> = {
  Parent: [
    { name: 'home', path: '/' },
    { name: 'inbox', path: '/inbox' },
    {
      name: 'inbox-message',
      path: '/inbox',
      open: (page) => page.getByRole('main').getByRole('link').first().click(),
    },
    { name: 'children', path: '/children' },
    { name: 'wallet', path: '/wallet' },
    { name: 'account', path: '/account' },
    { name: 'not-found', path: '/no-such-page' },
  ],
  Teacher: [
    { name: 'home', path: '/' },
    { name: 'sent', path: '/messages' },
    {
      name: 'sent-message',
      path: '/messages',
      open: (page) => page.getByRole('main').getByRole('listitem').getByRole('link').first().click(),
    },
    { name: 'new-message', path: '/messages/new' },
    { name: 'year-end', path: '/year-end' },
    // The leavers check and Manage Wallets (hundreds of rows) are looked at in year-end.spec.ts and
    // payments.spec.ts, at both sizes, where their content is known.
    { name: 'account', path: '/account' },
  ],
  'Payments admin': [
    { name: 'home', path: '/' },
    { name: 'payment', path: '/payments' },
    { name: 'year-end', path: '/year-end' },
  ],
  'School admin': [
    { name: 'home', path: '/' },
    { name: 'mis-sync', path: '/admin/mis' },
    { name: 'people', path: '/admin/people' },
    { name: 'settings', path: '/admin/settings' },
    { name: 'authenticator', path: '/account/authenticator' },
  ],
};

for (const [role, screens] of Object.entries(SCREENS) as [DemoRole, readonly Screen[]][]) {
  test(`every ${role.toLowerCase()} screen at phone and tablet size`, async ({ page }) => {
    test.setTimeout(120_000);
    await new SignInPage(page).signInAs(demoSignIn(role));
    for (const screen of screens) {
      await page.goto(screen.path);
      await screen.open?.(page);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await expect(page.getByText(/^Loading/)).toHaveCount(0);
      const slug = `${role.toLowerCase().replace(' ', '-')}-${screen.name}`;
      expect(await lookAtScreen(page, slug), slug).toEqual({ phone: [], tablet: [] });
    }
  });
}

test('the screens before signing in, at phone and tablet size', async ({ page }) => {
  for (const [name, path] of [
    ['sign-in', '/sign-in'],
    ['activate', '/activate'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await lookAtScreen(page, `signed-out-${name}`), name).toEqual({ phone: [], tablet: [] });
  }
});
