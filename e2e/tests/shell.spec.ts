import { expect, test, type Page } from '@playwright/test';
import { seriousAccessibilityIssues } from './accessibility.ts';
import { ActivatePage } from './activate-page.ts';
import { addStaffAccount, demoSignIn } from './demo-data.ts';
import { PHONE, TABLET } from './messages-pages.ts';
import { SignInPage } from './sign-in-page.ts';

const main = (page: Page) => page.getByRole('navigation', { name: 'Main' });

test('an address that does not exist gets a page with the navigation, not a bare 404', async ({ page }) => {
  await new SignInPage(page).signInAs(demoSignIn('Teacher'));
  await page.goto('/no-such-page');
  await expect(page.getByRole('heading', { level: 1, name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('There is no page at /no-such-page.')).toBeVisible();
  await expect(main(page).getByRole('link', { name: 'Sent' })).toBeVisible();
  // The way home is a link, reached from the keyboard.
  const home = page.getByRole('link', { name: 'Go to the home page' });
  await home.focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/');
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
});

test('offline, a page this device has not saved yet says so, with the navigation', async ({ browser }) => {
  // No service worker yet (a first visit on a slow connection): each page's code comes over the network.
  const context = await browser.newContext({ serviceWorkers: 'block', viewport: PHONE });
  const page = await context.newPage();
  await new SignInPage(page).signInAs(demoSignIn('Teacher'));
  await context.setOffline(true);
  await main(page).getByRole('link', { name: 'New message' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You are offline' })).toBeVisible();
  await expect(page.getByText('This page has not been saved on this device yet')).toBeVisible();
  await expect(main(page).getByRole('link', { name: 'Home' })).toBeVisible();
  expect(await seriousAccessibilityIssues(page)).toEqual([]);
  await context.close();
});

test('the header keeps to one row on a 390 px phone, whatever the name', async ({ browser }) => {
  const name = 'Bartholomew Featherstonehaugh-Montmorency-Cholmondeley';
  const code = addStaffAccount(name, 'b.featherstonehaugh@brookfield-primary.example.org', 'staff');
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const activate = new ActivatePage(page);
  await activate.open();
  await activate.activate(code, 'quill meadow lantern 42');
  await expect(page.getByText('Your account is ready')).toBeVisible();
  const signIn = new SignInPage(page);
  await signIn.password.fill('quill meadow lantern 42');
  await signIn.submit.click();
  await page.waitForURL('/');
  const header = page.getByRole('banner');
  await expect(header).toContainText(name);
  const parts = [
    header.getByText('SchoolPing'),
    header.getByRole('strong'),
    header.getByRole('button', { name: 'Sign out' }),
  ];
  const tops = await Promise.all(parts.map(async (part) => (await part.boundingBox())?.y ?? -1));
  const heights = await Promise.all(parts.map(async (part) => (await part.boundingBox())?.height ?? 0));
  // Brand, name and button side by side: every one starts above where the tallest ends.
  for (const top of tops) expect(top).toBeLessThan(Math.min(...tops) + Math.max(...heights));
  const box = await header.boundingBox();
  expect(box?.width).toBeLessThanOrEqual(PHONE.width);
  expect(box?.height).toBeLessThan(80);
  // The whole name is still there for a screen reader.
  await expect(header).toContainText(`Signed in as ${name}`);
  await page.setViewportSize(TABLET);
  await expect(header.getByText('Signed in as')).toBeVisible();
  await context.close();
});

test('the app can be installed: a manifest with icons, and robots.txt that keeps search engines out', async ({
  page,
  request,
}) => {
  await page.goto('/sign-in');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = (await (await request.get(href ?? '')).json()) as {
    name: string;
    short_name: string;
    theme_color: string;
    background_color: string;
    display: string;
    start_url: string;
    icons: { src: string; sizes: string; type: string; purpose?: string }[];
  };
  expect(manifest).toMatchObject({
    name: 'SchoolPing',
    short_name: 'SchoolPing',
    display: 'standalone',
    start_url: '/',
  });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  for (const [sizes, purpose] of [
    ['192x192', 'any'],
    ['512x512', 'any'],
    ['512x512', 'maskable'],
  ] as const) {
    const icon = manifest.icons.find((each) => each.sizes === sizes && each.purpose === purpose);
    expect(icon, `${sizes} ${purpose}`).toBeDefined();
    const image = await request.get(icon?.src ?? '');
    expect(image.headers()['content-type']).toBe('image/png');
    // A PNG's width and height are in its header.
    const bytes = await image.body();
    expect(`${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)}`).toBe(sizes);
  }
  // Chromium's own installability check, as the browser's install prompt runs it.
  const cdp = await page.context().newCDPSession(page);
  await page.reload();
  await expect(async () => {
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    // A test browser's contexts are incognito, where nothing installs; anything else is ours to fix.
    expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual(
      [],
    );
  }).toPass({ timeout: 15_000 });

  const robots = await request.get('/robots.txt');
  expect(robots.headers()['content-type']).toMatch(/^text\/plain/);
  expect(await robots.text()).toMatch(/^User-agent: \*$[\s\S]*^Disallow: \/$/m);
});

test('the navigation, by role, is reached and used from the keyboard', async ({ page }) => {
  await new SignInPage(page).signInAs(demoSignIn('Payments admin'));
  const nav = main(page);
  await expect(nav.getByRole('link')).toHaveText([
    'Home',
    'Sent',
    'New message',
    'Payment',
    'Year end',
    'Account',
  ]);
  // Tab from the top of the page until the Payment link has focus, then Enter.
  const payment = nav.getByRole('link', { name: 'Payment' });
  for (
    let presses = 0;
    presses < 15 && !(await payment.evaluate((link) => link === document.activeElement));
    presses++
  )
    await page.keyboard.press('Tab');
  await expect(payment).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Payment' })).toBeVisible();
  await expect(payment).toHaveAttribute('aria-current', 'page');
});
