import { Workbox } from 'workbox-window';

/** Register the Workbox service worker that keeps the app working offline (built app only). */
export async function registerServiceWorker(): Promise<void> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  const workbox = new Workbox('/sw.js', { scope: '/' });
  await workbox.register();
  // Ask the browser not to evict the offline copy under storage pressure; it may say no.
  await navigator.storage.persist().catch(() => false);
}

/** This page was under a service worker that has since been unregistered (by a sign-out). */
export async function hasLostServiceWorker(): Promise<boolean> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return false;
  return (
    (await navigator.serviceWorker.getRegistration()) === undefined &&
    navigator.serviceWorker.controller !== null
  );
}
