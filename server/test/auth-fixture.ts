import type { Role } from '@schoolping/shared';
import type { Hono } from 'hono';
import { createApp } from '../src/app.ts';
import type { Db } from '../src/db/database.ts';
import { type SchoolRow } from '../src/db/school-store.ts';
import { loadDemoOnFirstRun } from '../src/demo-data.ts';
import type { AppEnv } from '../src/http/env.ts';
import { tempDatabase } from './temp-database.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { createUser, setPassword, type UserRow } from '../src/auth/users.ts';

export const PASSWORD = 'correct horse battery';

/** The demo school in a real SQLite file, its app with a movable clock, and helpers to call it. */
export interface AuthFixture {
  readonly db: Db;
  readonly app: Hono<AppEnv>;
  readonly school: SchoolRow;
  now: Date;
  addUser(
    kind: 'staff' | 'parent',
    roles: readonly Role[],
    options?: { misId?: string; email?: string },
  ): Promise<UserRow>;
  signIn(email: string, password?: string, extra?: Record<string, string>): Promise<Response>;
  /** A same-origin JSON POST, as the PWA makes it. */
  post(path: string, body: unknown, cookie?: string): Promise<Response>;
  get(path: string, cookie?: string): Promise<Response>;
  cleanup(): void;
}

let users = 0;

export interface AuthFixtureOptions {
  readonly trustedProxies?: number;
  readonly proxyAddresses?: readonly string[];
  readonly log?: (line: string) => void;
  /** Real time for authenticator codes, when the app's clock runs as of another date. */
  readonly authenticatorClock?: () => Date;
}

export function authFixture(
  now = new Date('2026-11-10T10:00:00Z'),
  options: AuthFixtureOptions = {},
): AuthFixture {
  const temp = tempDatabase();
  const school = loadDemoOnFirstRun(temp.db, now);
  if (!school) throw new Error('the demo school loads into an empty database');
  const request = (path: string, init: RequestInit): Promise<Response> =>
    Promise.resolve(fixture.app.request(`http://localhost${path}`, init));
  const fixture: AuthFixture = {
    db: temp.db,
    school,
    now,
    app: createApp({ db: temp.db, clock: () => fixture.now, log: () => undefined, ...options }),
    async addUser(kind, roles, options = {}) {
      users++;
      const user = createUser(
        temp.db,
        {
          schoolId: school.id,
          kind,
          misId: options.misId ?? null,
          email: options.email ?? `person${users}@example.org`,
          name: `Person ${users}`,
          roles,
        },
        fixture.now,
      );
      setPassword(temp.db, user.id, await hashPassword(PASSWORD));
      return { ...user, passwordHash: 'set' };
    },
    signIn: (email, password = PASSWORD, extra = {}) =>
      fixture.post('/api/auth/sign-in', { email, password, ...extra }),
    post: (path, body, cookie) =>
      request(path, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: {
          'content-type': 'application/json',
          origin: 'http://localhost',
          ...(cookie ? { cookie } : {}),
        },
      }),
    get: (path, cookie) => request(path, { headers: cookie ? { cookie } : {} }),
    cleanup: temp.cleanup,
  };
  return fixture;
}

/** The `name=value` of the session cookie a response set. */
export function cookieFrom(response: Response): string {
  const header = response.headers.get('set-cookie') ?? '';
  const pair = header.split(';')[0] ?? '';
  if (!pair.startsWith('__Host-sp_session=')) throw new Error(`no session cookie in: ${header}`);
  return pair;
}
