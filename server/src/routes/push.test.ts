import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app.ts';
import { DEVICES_PER_PERSON } from '../notify/notify-store.ts';
import { authFixture, cookieFrom, type AuthFixture } from '../../test/auth-fixture.ts';

/*
 * The server posts to whatever endpoint a subscription names, so the routes are tried the way an
 * attacker would: endpoints inside the network, someone else's subscription, a flood of devices,
 * and a sign-out that must stop the pushes.
 */

const KEYS = { p256dh: 'B'.repeat(87), auth: 'A'.repeat(22) };
const FCM = 'https://fcm.googleapis.com/fcm/send/';

let fixture: AuthFixture;
beforeEach(() => {
  fixture = authFixture();
});
afterEach(() => {
  fixture.cleanup();
});

let parents = 0;
async function parentCookie(): Promise<{ cookie: string; userId: number }> {
  const contactId = fixture.db
    .prepare("SELECT mis_id FROM mis_records WHERE kind = 'contact' ORDER BY mis_id LIMIT 1 OFFSET ?")
    .pluck()
    .get(parents++) as string;
  const user = await fixture.addUser('parent', ['parent'], { misId: contactId });
  return { cookie: cookieFrom(await fixture.signIn(user.email)), userId: user.id };
}

const stored = (): string[] =>
  fixture.db.prepare('SELECT endpoint FROM push_subscriptions ORDER BY endpoint').pluck().all() as string[];

describe('push subscriptions', () => {
  it('takes a subscription from a known push service and refuses endpoints anywhere else', async () => {
    const { cookie } = await parentCookie();
    const ok = await fixture.post('/api/push/subscriptions', { endpoint: `${FCM}abc`, keys: KEYS }, cookie);
    expect(ok.status).toBe(201);
    for (const endpoint of [
      'http://fcm.googleapis.com/fcm/send/x',
      'https://127.0.0.1/push',
      'https://169.254.169.254/latest/meta-data',
      'https://fcm.googleapis.com.evil.example/x',
      'https://fcm.googleapis.com:8443/x',
      'https://mis.school.internal/x',
    ]) {
      const refused = await fixture.post('/api/push/subscriptions', { endpoint, keys: KEYS }, cookie);
      expect(refused.status, endpoint).toBe(400);
    }
    const bad = await fixture.post(
      '/api/push/subscriptions',
      { endpoint: `${FCM}x`, keys: { p256dh: 'x', auth: 'y' } },
      cookie,
    );
    expect(bad.status).toBe(400);
    expect(stored()).toEqual([`${FCM}abc`]);
  });

  it('keeps a few devices per person however many subscribe at once', async () => {
    const { cookie } = await parentCookie();
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        fixture.post('/api/push/subscriptions', { endpoint: `${FCM}device-${index}`, keys: KEYS }, cookie),
      ),
    );
    expect(answers.every((answer) => answer.status === 201)).toBe(true);
    expect(stored()).toHaveLength(DEVICES_PER_PERSON);
  });

  it('lets nobody remove another person’s subscription, and drops a device’s at sign-out', async () => {
    const first = await parentCookie();
    const second = await parentCookie();
    await fixture.post('/api/push/subscriptions', { endpoint: `${FCM}first`, keys: KEYS }, first.cookie);
    await fixture.post('/api/push/subscriptions', { endpoint: `${FCM}second`, keys: KEYS }, second.cookie);
    await fixture.post('/api/push/subscriptions/remove', { endpoint: `${FCM}first` }, second.cookie);
    expect(stored()).toEqual([`${FCM}first`, `${FCM}second`]);

    await fixture.post('/api/auth/sign-out', {}, first.cookie);
    expect(stored()).toEqual([`${FCM}second`]);
  });

  it('says push is not set up when the server has no keys, and gives the key when it has', async () => {
    const { cookie } = await parentCookie();
    const off = await fixture.get('/api/push/key', cookie);
    expect(off.status).toBe(404);
    const app = createApp({
      db: fixture.db,
      clock: () => fixture.now,
      log: () => undefined,
      push: { publicKey: 'BPublicKey' },
    });
    const on = await app.request('http://localhost/api/push/key', { headers: { cookie } });
    expect(await on.json()).toEqual({ publicKey: 'BPublicKey' });
  });
});
