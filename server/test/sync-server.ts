import type { Role } from '@schoolping/shared';
import WebSocket from 'ws';
import { createAppWithContext } from '../src/app.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { createUser, setPassword, type UserRow } from '../src/auth/users.ts';
import type { SchoolRow } from '../src/db/school-store.ts';
import { loadDemoOnFirstRun } from '../src/demo-data.ts';
import { SESSION_COOKIE } from '../src/auth/sessions.ts';
import type { AppContext } from '../src/http/env.ts';
import { resolveSession, type SignedIn } from '../src/http/session.ts';
import type { BatchLimits, SyncEngine } from '../src/sync/engine.ts';
import { PASSWORD, cookieFrom } from './auth-fixture.ts';
import { listenWithHub } from './listen.ts';
import { tempDatabase } from './temp-database.ts';

/** The demo school behind a real HTTP server with the sync hub, on a free port, with a movable clock. */
export interface SyncServer {
  readonly url: string;
  /** The data folder holding the SQLite file (and its write-ahead log). */
  readonly dataDir: string;
  readonly school: SchoolRow;
  readonly context: AppContext;
  readonly engine: SyncEngine;
  readonly lines: string[];
  now: Date;
  addUser(roles: readonly Role[], contactId?: string | null): Promise<UserRow>;
  /** Signs in over HTTP and returns the cookie header value. */
  signIn(user: UserRow): Promise<string>;
  /** Signs in over HTTP and returns the session as the hub resolves it from that cookie. */
  signedIn(user: UserRow): Promise<SignedIn>;
  /** A ws client class that sends this cookie and our Origin, as a browser on our page would. */
  socketClass(cookie: string): new (address: string, protocols?: string | string[]) => WebSocket;
  close(): Promise<void>;
}

let people = 0;

export async function startSyncServer(
  now = new Date('2027-03-15T09:00:00Z'),
  options: { readonly batch?: BatchLimits } = {},
): Promise<SyncServer> {
  const temp = tempDatabase();
  const school = loadDemoOnFirstRun(temp.db, now);
  if (!school) throw new Error('the demo school loads into an empty database');
  const lines: string[] = [];
  const {
    app,
    context,
    sync: engine,
  } = createAppWithContext({
    db: temp.db,
    clock: () => fixture.now,
    log: (line) => lines.push(line),
    ...options,
  });
  const listening = await listenWithHub(app, context, engine);
  const { port } = listening;
  const origin = `http://localhost:${port}`;
  const fixture: SyncServer = {
    url: `ws://localhost:${port}`,
    dataDir: temp.dataDir,
    school,
    context,
    engine,
    lines,
    now,
    async addUser(roles, contactId = null) {
      people++;
      const user = createUser(
        temp.db,
        {
          schoolId: school.id,
          kind: roles.includes('parent') ? 'parent' : 'staff',
          misId: contactId,
          email: `sync${people}@example.org`,
          name: `Sync Person ${people}`,
          roles,
        },
        fixture.now,
      );
      setPassword(temp.db, user.id, await hashPassword(PASSWORD));
      return user;
    },
    async signIn(user) {
      const response = await fetch(`${origin}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ email: user.email, password: PASSWORD }),
      });
      if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
      return cookieFrom(response);
    },
    async signedIn(user) {
      const cookie = await fixture.signIn(user);
      const value = cookie.startsWith(`${SESSION_COOKIE}=`)
        ? cookie.slice(SESSION_COOKIE.length + 1)
        : cookie;
      const resolved = resolveSession(context, value);
      if (!resolved) throw new Error('the session just made does not resolve');
      return resolved;
    },
    socketClass(cookie) {
      return class extends WebSocket {
        constructor(address: string, protocols?: string | string[]) {
          super(address, protocols, { headers: { cookie, origin } });
        }
      };
    },
    async close() {
      await listening.close();
      temp.cleanup();
    },
  };
  return fixture;
}
