import { demoSchool } from '@schoolping/shared';
import { expect, test, type Page } from '@playwright/test';
import { toXporterPayload } from '../../server/src/ingest/xporter/demo-feed.ts';
import { demoSignIn } from './demo-data.ts';
import { TABLET } from './messages-pages.ts';
import { startOwnServer, type OwnServer } from './own-server.ts';
import { lookAtScreen } from './screens.ts';
import { SignInPage } from './sign-in-page.ts';

/*
 * The school's MIS feed stops for a weekend: this spec's own server is started on the Friday (the
 * demo's feed arrives), then again on the Monday, when nothing has come for three days.
 */
let server: OwnServer;
test.beforeAll(async () => {
  server = await startOwnServer(Number(process.env.E2E_YEAR_END_PORT ?? 4174) + 1, '2027-03-12T09:00:00Z');
  await server.restartAt('2027-03-15T09:00:00Z');
});
test.afterAll(async () => {
  await server.stop();
});

/** The demo's feed with only every `every`th pupil, and no leave dates for the rest: a snapshot to hold. */
function partOfTheSchool(every: number): string {
  const { mis } = demoSchool({ academicYear: 2026 });
  const kept = new Set(mis.pupils.filter((_, index) => index % every === 0).map((pupil) => pupil.id));
  const links = mis.links.filter((link) => kept.has(link.pupilId));
  const contacts = new Set(links.map((link) => link.contactId));
  return JSON.stringify(
    toXporterPayload({
      ...mis,
      pupils: mis.pupils.filter((pupil) => kept.has(pupil.id)),
      links,
      contacts: mis.contacts.filter((contact) => contacts.has(contact.id)),
      memberships: mis.memberships.filter((membership) => kept.has(membership.pupilId)),
    }),
  );
}

/** MIS sync → Issue a new ingest key → confirm: the key, as the screen shows it once. */
async function issueKeyOnScreen(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Issue a new ingest key' }).click();
  await page
    .getByRole('dialog', { name: 'Issue a new ingest key?' })
    .getByRole('button', { name: 'Issue new key' })
    .click();
  return page.getByLabel('New ingest key (shown once: copy it now)').inputValue();
}

test('a late feed lists the likely causes; a held snapshot is accepted from the screen and the roster changes', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: TABLET, baseURL: server.baseURL });
  const page = await context.newPage();
  await new SignInPage(page).signInAs(demoSignIn('School admin', server.dataDir));
  // Who tonight's 02:00 run would take off the roll, before anything arrives.
  const main = page.getByRole('navigation', { name: 'Main' });
  await main.getByRole('link', { name: 'Year end' }).click();
  const tonight = page.getByRole('region', { name: 'Tonight at 02:00' });
  await expect(tonight).toContainText('worked out at');
  const leavingBefore = await tonight.getByRole('row').filter({ hasText: 'Leaves' }).count();
  await main.getByRole('link', { name: 'MIS sync' }).click();

  // Late, in words and colour, with the seed's causes and what to do next.
  const status = page.getByRole('region', { name: /^Status:/ });
  await expect(status.getByRole('heading')).toHaveText('Status: Late');
  await expect(status.locator('.word')).toHaveCSS('color', 'rgb(163, 71, 0)');
  const disrupted = page.getByRole('region', {
    name: 'What to do if your MIS integration service has been disrupted',
  });
  for (const cause of [
    'Your MIS server has undergone maintenance.',
    'You have had a new MIS server installed.',
    'The MIS software you use has been updated.',
    'Your MIS server has been shut down.',
    'The Groupcall Xporter application or service has stopped running on your server.',
    'The Groupcall Xporter application has been uninstalled from your MIS server.',
  ])
    await expect(disrupted.getByRole('listitem').filter({ hasText: cause })).toHaveCount(1);
  await expect(
    disrupted.getByRole('listitem').filter({ hasText: /^First, contact your IT or MIS support team/ }),
  ).toHaveCount(1);
  await expect(page.getByRole('img', { name: /runs applied .* in the last 14 days/ })).toBeVisible();
  expect(await lookAtScreen(page, 'mis-sync-late')).toEqual({ phone: [], tablet: [] });

  // A new key for Xporter, shown once.
  const key = await issueKeyOnScreen(page);
  expect(key).toMatch(/^spi_/);

  // Xporter comes back with half the school missing: held, not applied.
  const pushed = await page.request.post('/api/mis/xporter', {
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    data: partOfTheSchool(2),
  });
  expect(pushed.status()).toBe(202);
  await page.reload();
  await expect(status.getByRole('heading')).toHaveText('Status: Failing');
  const held = page.getByRole('region', { name: 'Held snapshots' });
  await expect(held).toContainText(/It would take \d+ pupils off the roll at the next 02:00 run/);
  const removing = Number(/take (\d+) pupils/.exec(await held.innerText())?.[1]);
  await held.getByText(/^Who would be removed/).click();
  const firstName = held
    .getByRole('listitem')
    .filter({ hasText: /^[\p{L}' -]+, [\p{L}' -]+$/u })
    .first();
  const [surname = '', forename = ''] = (await firstName.innerText()).split(', ');
  expect(await lookAtScreen(page, 'mis-sync-held')).toEqual({ phone: [], tablet: [] });

  await held.getByRole('button', { name: 'Accept snapshot' }).click();
  await page
    .getByRole('dialog', { name: 'Accept this snapshot?' })
    .getByRole('button', { name: 'Accept' })
    .click();
  await expect(page.getByText('No snapshot is waiting for a decision.')).toBeVisible();
  await expect(status.getByRole('heading')).toHaveText('Status: OK');

  // The roster changed: the missing pupils leave at tonight's 02:00 run, as the preview now says.
  await main.getByRole('link', { name: 'Year end' }).click();
  await expect(tonight.getByRole('row').filter({ hasText: 'Leaves' })).toHaveCount(leavingBefore + removing);
  await expect(tonight.getByRole('row', { name: new RegExp(`^${forename} ${surname}`) })).toContainText(
    'Leaves',
  );
  await context.close();
});

test('a held snapshot discarded from the screen changes nothing; the XoD pull is connected, its secret never shown', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: TABLET, baseURL: server.baseURL });
  const page = await context.newPage();
  await new SignInPage(page).signInAs(demoSignIn('School admin', server.dataDir));
  const main = page.getByRole('navigation', { name: 'Main' });
  await main.getByRole('link', { name: 'Year end' }).click();
  const tonight = page.getByRole('region', { name: 'Tonight at 02:00' });
  await expect(tonight).toContainText('worked out at');
  const leavingBefore = await tonight.getByRole('row').filter({ hasText: 'Leaves' }).count();

  await main.getByRole('link', { name: 'MIS sync' }).click();
  const key = await issueKeyOnScreen(page);
  // A feed with only a quarter of the school: held.
  const pushed = await page.request.post('/api/mis/xporter', {
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    data: partOfTheSchool(4),
  });
  expect(pushed.status()).toBe(202);
  await page.reload();
  const held = page.getByRole('region', { name: 'Held snapshots' });
  await held.getByRole('button', { name: 'Discard snapshot' }).click();
  await page
    .getByRole('dialog', { name: 'Discard this snapshot?' })
    .getByRole('button', { name: 'Discard' })
    .click();
  await expect(held).toContainText('No snapshot is waiting for a decision.');

  // The XoD pull: connected, and the secret is not on the page afterwards.
  const xod = page.getByRole('region', { name: 'Xporter on Demand' });
  await xod.getByLabel('Relying party (application id)').fill('brookfield-schoolping');
  await xod.getByLabel('Secret').fill('sesame-4411-kept-secret');
  await xod.getByLabel('Establishment number').fill('8012000');
  await xod.getByLabel('Pull every (hours)').fill('6');
  await xod.getByRole('button', { name: 'Connect' }).click();
  await expect(xod.getByRole('status')).toContainText('every 6 hours');
  await expect(xod).toContainText('Connected: pulled every 6 hours, not pulled yet.');
  await expect(xod.getByLabel('Secret')).toHaveValue('');
  await page.reload();
  await expect(xod).toContainText('Connected: pulled every 6 hours');
  expect(await page.content()).not.toContain('sesame-4411');

  // Nothing was taken off the roll by the discarded snapshot.
  await main.getByRole('link', { name: 'Year end' }).click();
  await expect(tonight).toContainText('worked out at');
  await expect(tonight.getByRole('row').filter({ hasText: 'Leaves' })).toHaveCount(leavingBefore);
  await context.close();
});
