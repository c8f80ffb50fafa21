import 'fake-indexeddb/auto';
import type { Me } from '@schoolping/shared';
import { beforeEach, describe, expect, it } from 'vitest';

/** Web storage as a browser has it; Node has none. */
class MemoryStorage implements Storage {
  #items = new Map<string, string>();
  get length(): number {
    return this.#items.size;
  }
  clear(): void {
    this.#items.clear();
  }
  getItem(key: string): string | null {
    return this.#items.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.#items.delete(key);
  }
  setItem(key: string, value: string): void {
    this.#items.set(key, value);
  }
}

Object.assign(globalThis, { localStorage: new MemoryStorage(), sessionStorage: new MemoryStorage() });
if (!('navigator' in globalThis))
  Object.defineProperty(globalThis, 'navigator', { value: {}, configurable: true });

const { Session } = await import('./session.svelte');

const NOW = new Date('2026-11-28T10:00:00Z');
const ME: Me = {
  userId: 7,
  schoolId: 1,
  name: 'Priya Chowdhury',
  email: 'p.chowdhury@example.org',
  kind: 'staff',
  roles: ['staff'],
  isReadOnly: false,
  needsMfaSetup: false,
  totpEnabled: false,
  sessionExpiresAt: '2026-11-28T22:00:00.000Z',
  serverNow: NOW.toISOString(),
  idleMinutes: 30,
};

const json = (value: unknown, status = 200): Response =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

/** A server stand-in that records what was asked; sign-in answers only when the test says so. */
function server(options: { signOut?: () => Response } = {}) {
  const calls: string[] = [];
  let release: () => void = () => undefined;
  const signedIn = new Promise<void>((resolve) => {
    release = resolve;
  });
  const fetcher: typeof fetch = async (input) => {
    const path = typeof input === 'string' ? input : input instanceof URL ? input.pathname : input.url;
    calls.push(path);
    if (path.endsWith('/sign-in')) {
      await signedIn;
      return json({ status: 'signed-in', sessionExpiresAt: ME.sessionExpiresAt });
    }
    if (path.endsWith('/sign-out')) return options.signOut?.() ?? json({ status: 'signed-out' });
    if (path.endsWith('/me')) return json(ME);
    return json({ error: 'not-found', message: 'no' }, 404);
  };
  return { calls, fetcher, release };
}

beforeEach(() => {
  localStorage.clear();
});

describe('the session on this device', () => {
  it('drops a sign-in the server accepts after the device signed out, and ends it at the server too', async () => {
    const stub = server();
    const session = new Session(stub.fetcher, () => NOW);
    const signingIn = session.signIn({ email: ME.email, password: 'a long password' });
    await session.signOut();
    stub.release();
    expect(await signingIn).toMatchObject({ kind: 'refused', error: 'signed-out' });
    expect(session.me).toBeNull();
    expect(stub.calls.filter((path) => path.endsWith('/sign-out'))).toHaveLength(2);
  });

  it('adopts a sign-in that nothing interrupted', async () => {
    const stub = server();
    const session = new Session(stub.fetcher, () => NOW);
    stub.release();
    expect(await session.signIn({ email: ME.email, password: 'a long password' })).toMatchObject({
      kind: 'signed-in',
    });
    expect(session.me?.name).toBe('Priya Chowdhury');
  });

  it('stays signed out while a sign-out made offline has not reached the server', async () => {
    const offline = server({ signOut: () => json({ error: 'bad-gateway', message: 'Proxy error' }, 502) });
    localStorage.setItem('schoolping.pending-sign-out', 'yes');
    const session = new Session(offline.fetcher, () => NOW);
    expect(await session.resolve()).toMatchObject({ me: null });
    expect(offline.calls.some((path) => path.endsWith('/me'))).toBe(false);
    expect(localStorage.getItem('schoolping.pending-sign-out')).toBe('yes');
  });
});
