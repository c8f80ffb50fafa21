import { closeLocalDb, LOCAL_DB_NAME, localDb } from '$lib/local-db';
import { UNREACHABLE_MESSAGE } from '$lib/services/api';
import { fetchMe, requestSignIn, requestSignOut, type Credentials, type Me } from '$lib/services/auth';
import { wipeLocalData, type DeviceStorage } from '$lib/services/local-wipe';
import { loadSavedSession, saveLock, saveMe, type SavedSession } from '$lib/services/saved-session';
import { decideSession, systemNow, type SignedOutReason } from '$lib/services/session-decision';
import { forgetPendingSignOut, sendPendingSignOut, signOut } from '$lib/services/sign-out';

export type SignInOutcome =
  | { readonly kind: 'signed-in'; readonly needsAuthenticator: boolean }
  | { readonly kind: 'code-required'; readonly message: string }
  | { readonly kind: 'refused'; readonly error: string; readonly message: string };

const NOTHING_SAVED: SavedSession = { me: null, isLocked: false };

export type Resolved = { readonly me: Me } | { readonly me: null; readonly reason: SignedOutReason };

/**
 * Who is signed in on this device, for every page. The server decides; a copy of `me` in IndexedDB
 * keeps the shell signed in offline until the session's absolute end. Holds nothing secret.
 */
export class Session {
  #me = $state<Me | null>(null);
  #isLocked = $state(false);
  #isOffline = $state(false);
  #resolving: Promise<Resolved> | null = null;
  readonly #fetch: typeof fetch;
  readonly #now: () => Date;

  constructor(fetcher: typeof fetch = (input, init) => fetch(input, init), now: () => Date = systemNow) {
    this.#fetch = fetcher;
    this.#now = now;
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

  async #resolve(fetcher: typeof fetch): Promise<Resolved> {
    const tellServer = () => requestSignOut(fetcher);
    await sendPendingSignOut({ tellServer, pending: localStorage });
    const [answer, saved] = await Promise.all([
      fetchMe(fetcher),
      // Without IndexedDB (a private window may refuse it) the app still works, online only.
      loadSavedSession(localDb()).catch(() => NOTHING_SAVED),
    ]);
    const decision = decideSession(answer, saved.me, this.#now());
    if (decision.shouldWipe) await this.#wipe();
    if (decision.kind === 'signed-out') return { me: null, reason: decision.reason };
    await this.#adopt(decision.me, decision.shouldWipe ? false : saved.isLocked);
    this.#isOffline = !decision.isFromServer;
    return { me: decision.me };
  }

  async signIn(credentials: Credentials): Promise<SignInOutcome> {
    const answer = await requestSignIn(this.#fetch, credentials);
    if (answer.kind === 'unreachable')
      return { kind: 'refused', error: 'unreachable', message: answer.message };
    if (answer.kind === 'refused') {
      return answer.error === 'totp-required'
        ? { kind: 'code-required', message: answer.message }
        : { kind: 'refused', error: answer.error, message: answer.message };
    }
    // Signing in ended whatever session the old cookie held: nothing is pending any more.
    forgetPendingSignOut(localStorage);
    const me = await fetchMe(this.#fetch);
    if (me.kind !== 'me') return { kind: 'refused', error: 'unreachable', message: UNREACHABLE_MESSAGE };
    const saved = await loadSavedSession(localDb()).catch(() => NOTHING_SAVED);
    if (saved.me && saved.me.userId !== me.me.userId) await this.#wipe();
    await this.#adopt(me.me, false);
    this.#isOffline = false;
    return {
      kind: 'signed-in',
      needsAuthenticator: me.me.needsMfaSetup || answer.value === 'mfa-setup-required',
    };
  }

  /** Ask the server for `me` again, e.g. once the authenticator app is set up. */
  async refresh(): Promise<void> {
    const answer = await fetchMe(this.#fetch);
    if (answer.kind === 'me') await this.#adopt(answer.me, this.#isLocked);
  }

  lock(): void {
    this.#isLocked = true;
    saveLock(localDb(), true, this.#now()).catch((error: unknown) => {
      console.error('This device could not keep the lock over a reload', error);
    });
  }

  /** The same person's password again (and code, if they use one): a fresh session unlocks. */
  async unlock(password: string, totp?: string): Promise<SignInOutcome> {
    if (!this.#me) return { kind: 'refused', error: 'signed-out', message: 'Please sign in.' };
    return this.signIn({ email: this.#me.email, password, totp });
  }

  /** Sign out here and, when it can be reached, at the server; the device keeps nothing either way. */
  async signOut(): Promise<void> {
    const report = await signOut({
      tellServer: () => requestSignOut(this.#fetch),
      storage: this.#deviceStorage(),
      pending: localStorage,
    });
    for (const failure of report.failures)
      console.error(`Sign-out could not wipe ${failure.step}`, failure.error);
  }

  /** The server ended the session, or its time ran out: wipe without asking the server. */
  async end(): Promise<void> {
    await this.#wipe();
  }

  async #adopt(me: Me, isLocked: boolean): Promise<void> {
    this.#me = me;
    this.#isLocked = isLocked;
    this.#resolving = Promise.resolve({ me });
    const db = localDb();
    await Promise.all([saveMe(db, me, this.#now()), saveLock(db, isLocked, this.#now())]).catch(
      (error: unknown) => {
        console.error('This device could not keep the session for offline use', error);
      },
    );
  }

  async #wipe(): Promise<void> {
    const report = await wipeLocalData(this.#deviceStorage());
    for (const failure of report.failures) console.error(`Could not wipe ${failure.step}`, failure.error);
  }

  #deviceStorage(): DeviceStorage {
    return {
      closeDatabases: closeLocalDb,
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
