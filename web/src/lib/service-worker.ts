/*
 * The service worker keeps the app working offline. A new version installs in the background and
 * then waits: it is announced, and it takes over only when the person asks, never on its own,
 * and never while changes made here are still waiting to reach the server (see app-update).
 */

/** How often an open app asks the server whether there is a new version. */
const CHECK_EVERY_MS = 30 * 60 * 1000;

/** Register the service worker (built app only); `onWaiting` hears of a new version ready to take over. */
export async function registerServiceWorker(onWaiting: (worker: ServiceWorker) => void): Promise<void> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const registration = await navigator.serviceWorker.register('/sw.js', { scope: '/' });
  // A worker already waiting from an earlier visit is news only if this page is under the old one.
  const announce = (worker: ServiceWorker | null): void => {
    if (worker && navigator.serviceWorker.controller) onWaiting(worker);
  };
  announce(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed') announce(installing);
    });
  });
  const check = (): void => {
    if (navigator.onLine) void registration.update().catch(() => undefined);
  };
  setInterval(check, CHECK_EVERY_MS);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') check();
  });
  // Ask the browser not to evict the offline copy under storage pressure; it may say no.
  await navigator.storage.persist().catch(() => false);
}

/** Let a waiting worker take over, and load the page again under it once it has. */
export function activate(worker: ServiceWorker): void {
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    location.reload();
  });
  worker.postMessage({ type: 'SKIP_WAITING' });
}

/** This page was under a service worker that has since been unregistered (by a sign-out). */
export async function hasLostServiceWorker(): Promise<boolean> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return false;
  return (
    (await navigator.serviceWorker.getRegistration()) === undefined &&
    navigator.serviceWorker.controller !== null
  );
}
