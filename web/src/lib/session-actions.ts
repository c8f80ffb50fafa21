import { goto, invalidateAll, preloadCode } from '$app/navigation';
import { resolve } from '$app/paths';
import type { ResolvedPathname } from '$app/types';
import { onLocalDbDeletedElsewhere } from '$lib/local-db';
import { hasLostServiceWorker } from '$lib/service-worker';
import { onSignOutElsewhere } from '$lib/services/session-broadcast';
import type { SignedOutReason } from '$lib/services/session-decision';
import { session, type Resolved } from '$lib/session.svelte';

/*
 * Where session changes meet navigation. The sign-in page's code is loaded before any wipe: the wipe
 * deletes the offline copy of the app, and offline nothing else could bring that page in.
 */

/** The email (from activation) goes in history state, never in the URL, logs or Referer. */
export function signInPath(reason: SignedOutReason | 'signed-out' | 'activated'): ResolvedPathname {
  return reason === 'none' ? resolve('/sign-in') : resolve(`/sign-in?reason=${reason}`);
}

async function preloadSignIn(): Promise<void> {
  await preloadCode('/sign-in').catch(() => undefined);
}

/** For the guard of signed-in pages: deciding may end the session and wipe the app's offline copy. */
export async function resolveSession(fetcher: typeof fetch): Promise<Resolved> {
  await preloadSignIn();
  return session.resolve(fetcher);
}

export async function signOutAndLeave(): Promise<void> {
  await preloadSignIn();
  await session.signOut();
  await goto(signInPath('signed-out'), { replaceState: true });
}

/** The server ended the session or its time ran out; returns where to go, for a load's `redirect`. */
export async function endSession(reason: 'ended' | 'expired'): Promise<ResolvedPathname> {
  await preloadSignIn();
  await session.end();
  return signInPath(reason);
}

export async function endSessionAndLeave(reason: 'ended' | 'expired'): Promise<void> {
  await goto(await endSession(reason), { replaceState: true });
}

export async function enterApp(needsAuthenticator: boolean): Promise<void> {
  const target = needsAuthenticator ? resolve('/account/authenticator') : resolve('/');
  // A sign-out in this page unregistered the service worker; registering again now would only revive
  // the old one with its precache emptied. A full load lets it go and installs a fresh one.
  if (await hasLostServiceWorker()) location.assign(target);
  else await goto(target, { replaceState: true });
}

/** A page restored from the back-forward cache shows what it held then: ask the server again. */
export async function checkSessionAgain(): Promise<void> {
  session.askAgain();
  await invalidateAll();
}

/**
 * Another tab signed out (it says so, or deletes the database under this one): this tab drops what it
 * holds and goes to sign-in too. Returns a stop function.
 */
export function followOtherTabs(): () => void {
  const leave = (): void => {
    const wasSignedIn = session.me !== null;
    session.forget();
    if (wasSignedIn) void goto(signInPath('signed-out'), { replaceState: true });
  };
  const stopChannel = onSignOutElsewhere(leave);
  const stopDb = onLocalDbDeletedElsewhere(leave);
  return () => {
    stopChannel();
    stopDb();
  };
}
