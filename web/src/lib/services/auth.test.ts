import { describe, expect, it } from 'vitest';
import { UNREACHABLE_MESSAGE } from './api';
import { fetchMe, inDeviceTime, type Me, parseMe, requestSignIn, requestSignOut } from './auth';

const ME = {
  userId: 3,
  schoolId: 1,
  name: 'Ann Teacher',
  email: 'ann@example.org',
  kind: 'staff',
  roles: ['staff'],
  isReadOnly: false,
  needsMfaSetup: false,
  totpEnabled: false,
  sessionExpiresAt: '2026-12-01T21:00:00.000Z',
  serverNow: '2026-12-01T09:00:00.000Z',
  idleMinutes: 30,
} satisfies Me;

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A fetch that answers once and remembers what it was asked. */
function answering(response: Response | Error): typeof fetch & { requests: Request[] } {
  const requests: Request[] = [];
  const fetcher = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requests.push(new Request(new URL(path, 'http://localhost'), init));
    return response instanceof Error ? Promise.reject(response) : Promise.resolve(response);
  };
  return Object.assign(fetcher, { requests });
}

describe('parseMe', () => {
  it('accepts the server’s answer', () => {
    expect(parseMe(ME)).toEqual(ME);
  });

  it.each([
    ['no user id', { ...ME, userId: undefined }],
    ['an unknown kind', { ...ME, kind: 'pupil' }],
    ['an unknown role', { ...ME, roles: ['staff', 'root'] }],
    ['an unreadable expiry', { ...ME, sessionExpiresAt: 'soon' }],
    ['no idle time', { ...ME, idleMinutes: 0 }],
    ['not an object', ['Ann']],
  ])('refuses %s', (_, value) => {
    expect(parseMe(value)).toBeNull();
  });
});

describe('requests', () => {
  it('sends every POST as JSON, with an empty object when there is nothing to say', async () => {
    const fetcher = answering(json({ status: 'signed-out' }));
    expect(await requestSignOut(fetcher)).toBe(true);
    const [request] = fetcher.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(await request?.text()).toBe('{}');
  });

  it('passes the server’s sentence through, including how long to wait', async () => {
    const fetcher = answering(
      json({ error: 'too-many-attempts', message: 'Too many attempts. Try again in 2 minutes.' }, 429, {
        'retry-after': '90',
      }),
    );
    expect(await requestSignIn(fetcher, { email: 'a@b.c', password: 'x' })).toEqual({
      kind: 'refused',
      status: 429,
      error: 'too-many-attempts',
      message: 'Too many attempts. Try again in 2 minutes.',
    });
  });

  it('says the server could not be reached when the network fails', async () => {
    const fetcher = answering(new TypeError('Failed to fetch'));
    expect(await requestSignIn(fetcher, { email: 'a@b.c', password: 'x' })).toEqual({
      kind: 'unreachable',
      message: UNREACHABLE_MESSAGE,
    });
    expect(await requestSignOut(answering(new TypeError('Failed to fetch')))).toBe(false);
  });

  it('reads the sign-in status, including a second factor still to set up', async () => {
    const answer = await requestSignIn(
      answering(json({ status: 'mfa-setup-required', sessionExpiresAt: '' })),
      {
        email: 'a@b.c',
        password: 'x',
      },
    );
    expect(answer).toEqual({ kind: 'ok', value: 'mfa-setup-required' });
  });
});

describe('inDeviceTime', () => {
  it('keeps the session as long on a device whose clock is wrong as the server gave it', () => {
    // Twelve hours left by the server's clock; the device thinks it is a month earlier.
    const device = new Date('2026-11-01T09:00:00.000Z');
    expect(inDeviceTime(ME, device)).toEqual({
      ...ME,
      sessionExpiresAt: '2026-11-01T21:00:00.000Z',
      serverNow: '2026-11-01T09:00:00.000Z',
    });
  });

  it('ends it on the device as soon as the server would, when the device runs ahead', () => {
    const device = new Date('2027-07-24T09:00:00.000Z');
    expect(inDeviceTime(ME, device).sessionExpiresAt).toBe('2027-07-24T21:00:00.000Z');
  });
});

describe('fetchMe', () => {
  it('tells a person, nobody (401) and no answer (offline, or a proxy’s error page) apart', async () => {
    const onTime = (): Date => new Date(ME.serverNow);
    expect(await fetchMe(answering(json(ME)), onTime)).toEqual({ kind: 'me', me: ME });
    expect(
      await fetchMe(answering(json({ error: 'sign-in-required', message: 'Please sign in.' }, 401))),
    ).toEqual({
      kind: 'signed-out',
    });
    expect(await fetchMe(answering(new TypeError('Failed to fetch')))).toEqual({ kind: 'unreachable' });
    expect(await fetchMe(answering(new Response('<h1>Bad gateway</h1>', { status: 502 })))).toEqual({
      kind: 'unreachable',
    });
  });
});
