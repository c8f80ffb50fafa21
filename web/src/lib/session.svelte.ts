import { localDb, LOCAL_DB_NAME, sealLocalDb, unsealLocalDb, type LocalDb } from '$lib/local-db';
import { UNREACHABLE_MESSAGE } from '$lib/services/api';
import { fetchMe, requestSignIn, requestSignOut, type Credentials, type Me } from '$lib/services/auth';
import { throttle } from '$lib/services/idle-timer';
import { wipeLocalData, type DeviceStorage } from '$lib/services/local-wipe';
import {
  loadSavedSession,
  saveLastActive,
  saveLock,
  saveMe,
  type SavedSession,
} from '$lib/services/saved-session';
import { announceSignOut } from '$lib/services/session-broadcast';
import {
  decideSession,
  shouldLockOnReturn,
  systemNow,
  type SignedOutReason,
} from '$lib/services/session-decision';
import { forgetPendingSignOut, sendPendingSignOut, signOut } from '$lib/services/sign-out';
import { sync } from '$lib/sync/sync.svelte';

export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly needsAuthenticator: boolean }
  | { readonly kind: 'code-required'; readonly message: string }
  | { readonly kind: 'refused'; readonly error: string; readonly message: string };

const NOTHING_SAVED: SavedSession = { me: null, isLocked: false, lastActiveAt: null };

const SIGNED_OUT_MEANWHILE: SignInOutcome = {
  kind: 'refused',
  error: 'signed-out',
  message: 'SchoolPing was signed out on this device meanwhile. Please sign in again.',
};

/** Recording every touch would write to IndexedDB on every pointer move. */
const ACTIVITY_SAVE_INTERVAL_MS = 60_000;

export type Resolved = { readonly me: Me } | { readonly me: null; readonly reason: SignedOutReason };

/**
 * Who is signed in on this device, for every page. The server decides; a copy of `me` in IndexedDB
 * keeps the shell signed in offline until the session's absolute end. Holds nothing secret.
 *
 * Every wipe moves `#generation` on: an answer that arrives after one belongs to a session that no
 * longer exists here, and is dropped rather than adopted (which would bring the wiped person back).
 */
export class Session {
  #me = $state<Me | null>(null);
  #isLocked = $state(false);
  #isOffline = $state(false);
  #resolving: Promise<Resolved> | null = null;
  #generation = 0;
  readonly #fetch: typeof fetch;
  readonly #now: () => Date;
  readonly #recordActivity: () => void;

  constructor(fetcher: typeof fetch = (input, init) => fetch(input, init), now: () => Date = systemNow) {
    this.#fetch = fetcher;
    this.#now = now;
    this.#recordActivity = throttle({ now: () => this.#now().getTime() }, ACTIVITY_SAVE_INTERVAL_MS, () => {
      this.#save((db) => saveLastActive(db, this.#now()), 'the time of last use');
    });
  }

  get me(): Me | null {
    return this.#me;
  }
  get isLocked(): boolean {
    return this.#isLocked;
  }
  /** Signed in from the copy on this device because the server could not be reached. */
  get isOffline(): boolean {
    return this.#isOffline;
  }

  /** Once per page load: later navigations reuse the answer (a 401 from any request ends it). */
  resolve(fetcher: typeof fetch = this.#fetch): Promise<Resolved> {
    this.#resolving ??= this.#resolve(fetcher);
    return this.#resolving;
  }

  /** Forget the answer, so the next `resolve` asks again (a page restored from the back-forward cache). */
  askAgain(): void {
    this.#resolving = null;
  }

  async #resolve(fetcher: typeof fetch): Promise<Resolved> {
    let generation = this.#generation;
    const tellServer = () => requestSignOut(fetcher);
    // Fail closed: until the server hears of a sign-out made offline, its session may still be alive,
    // and asking it who is signed in would bring that person back.
    const isNothingPending = await sendPendingSignOut({ tellServer, pending: localStorage });
    if (!isNothingPending || generation !== this.#generation) return { me: null, reason: 'none' };
    const [answer, saved] = await Promise.all([fetchMe(fetcher, this.#now), this.#loadSaved()]);
    if (generation !== this.#generation) return { me: null, reason: 'none' };
    const now = this.#now();
    const decision = decideSession(answer, saved.me, now);
    if (decision.shouldWipe) {
      generation = await this.#wipe();
      if (generation !== this.#generation) return { me: null, reason: 'none' };
    }
    if (decision.kind === 'signed-out') return { me: null, reason: decision.reason };
    const isLocked =
      !decision.shouldWipe && (saved.isLocked || shouldLockOnReturn(decision.me, saved.lastActiveAt, now));
    this.#adopt(decision.me, { isLocked, isOffline: !decision.isFromServer, isNewSession: false });
    return { me: decision.me };
  }

  async signIn(credentials: Credentials): Promise<SignInOutcome> {
    let generation = this.#generation;
    const answer = await requestSignIn(this.#fetch, credentials);
    if (answer.kind === 'unreachable')
      return { kind: 'refused', error: 'unreachable', message: answer.message };
    if (answer.kind === 'refused') {
      return answer.error === 'totp-required'
        ? { kind: 'code-required', message: answer.message }
        : { kind: 'refused', error: answer.error, message: answer.message };
    }
    if (generation !== this.#generation) return this.#dropSignIn();
    // Signing in ended whatever session the old cookie held: nothing is pending any more.
    forgetPendingSignOut(localStorage);
    const me = await fetchMe(this.#fetch, this.#now);
    if (generation !== this.#generation) return this.#dropSignIn();
    if (me.kind !== 'me') return { kind: 'refused', error: 'unreachable', message: UNREACHABLE_MESSAGE };
    const saved = await this.#loadSaved();
    if (generation !== this.#generation) return this.#dropSignIn();
    if (saved.me && saved.me.userId !== me.me.userId) {
      generation = await this.#wipe();
      if (generation !== this.#generation) return this.#dropSignIn();
    }
    this.#adopt(me.me, { isLocked: false, isOffline: false, isNewSession: true });
    return {
      kind: 'signed-in',
      needsAuthenticator: me.me.needsMfaSetup || answer.value === 'mfa-setup-required',
    };
  }

  /** A sign-in the server accepted after this device signed out: end that new session there too. */
  #dropSignIn(): SignInOutcome {
    requestSignOut(this.#fetch).catch(() => undefined);
    return SIGNED_OUT_MEANWHILE;
  }

  /** Ask the server for `me` again, e.g. once the authenticator app is set up. */
  async refresh(): Promise<void> {
    const generation = this.#generation;
    const answer = await fetchMe(this.#fetch, this.#now);
    if (generation !== this.#generation || answer.kind !== 'me') return;
    this.#adopt(answer.me, { isLocked: this.#isLocked, isOffline: false, isNewSession: false });
  }

  lock(): void {
    this.#isLocked = true;
    this.#save((db) => saveLock(db, true, this.#now()), 'the lock over a reload');
  }

  /** Someone used the app: kept (now and then) so that reopening it later can tell how long it sat. */
  noteActivity(): void {
    if (this.#me && !this.#isLocked) this.#recordActivity();
  }

  /** The same person's password again (and code, if they use one): a fresh session unlocks. */
  async unlock(password: string, totp?: string): Promise<SignInOutcome> {
    if (!this.#me) return { kind: 'refused', error: 'signed-out', message: 'Please sign in.' };
    return this.signIn({ email: this.#me.email, password, totp });
  }

  /** Sign out here and, when it can be reached, at the server; the device keeps nothing either way. */
  async signOut(): Promise<void> {
    this.#generation++;
    const report = await signOut({
      tellServer: () => requestSignOut(this.#fetch),
      storage: this.#deviceStorage(),
      pending: localStorage,
    });
    // Again: a resolve that began during the wipe must not adopt what it heard before it.
    this.#generation++;
    announceSignOut();
    for (const failure of report.failures)
      console.error(`Sign-out could not wipe ${failure.step}`, failure.error);
  }

  /** The server ended the session, or its time ran out: wipe without asking the server. */
  async end(): Promise<void> {
    await this.#wipe();
    announceSignOut();
  }

  /** Another tab signed out and wiped the device: forget this tab's copy in memory too. */
  forget(): void {
    this.#generation++;
    sealLocalDb();
    this.#reset();
  }

  #adopt(
    me: Me,
    { isLocked, isOffline, isNewSession }: { isLocked: boolean; isOffline: boolean; isNewSession: boolean },
  ): void {
    unsealLocalDb();
    this.#me = me;
    this.#isLocked = isLocked;
    this.#isOffline = isOffline;
    this.#resolving = Promise.resolve({ me });
    const now = this.#now();
    this.#save(async (db) => {
      await Promise.all([
        saveMe(db, me, now),
        saveLock(db, isLocked, now),
        isNewSession ? saveLastActive(db, now) : undefined,
      ]);
    }, 'the session for offline use');
  }

  async #loadSaved(): Promise<SavedSession> {
    // Without IndexedDB (a private window may refuse it) the app still works, online only.
    try {
      return await loadSavedSession(localDb());
    } catch {
      return NOTHING_SAVED;
    }
  }

  /** Best effort: the device may refuse IndexedDB, or a wipe may have sealed it. */
  #save(write: (db: LocalDb) => Promise<void>, what: string): void {
    let db: LocalDb;
    try {
      db = localDb();
    } catch {
      return;
    }
    write(db).catch((error: unknown) => {
      console.error(`This device could not keep ${what}`, error);
    });
  }

  /** Returns the generation this wipe ended on, for callers that go on after it. */
  async #wipe(): Promise<number> {
    this.#generation++;
    const report = await wipeLocalData(this.#deviceStorage());
    for (const failure of report.failures) console.error(`Could not wipe ${failure.step}`, failure.error);
    // Again: whatever began during the wipe heard from a session that is now gone.
    return ++this.#generation;
  }

  #deviceStorage(): DeviceStorage {
    return {
      closeDatabases: () => {
        // The sync client writes to the database: stop it before the database goes.
        sync.stop();
        sealLocalDb();
      },
      indexedDB: globalThis.indexedDB,
      knownDatabases: [LOCAL_DB_NAME],
      caches: globalThis.caches,
      serviceWorkers: globalThis.navigator.serviceWorker,
      webStorage: [localStorage, sessionStorage],
      resetMemory: () => {
        this.#reset();
      },
    };
  }

  #reset(): void {
    this.#me = null;
    this.#isLocked = false;
    this.#isOffline = false;
    this.#resolving = null;
  }
}

export const session = new Session();
