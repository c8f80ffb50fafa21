import { getJson, postJson } from './api';

export type PushState = 'unsupported' | 'blocked' | 'off' | 'on';

function supported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

/** Whether this device shows notifications for new messages. */
export async function pushState(): Promise<PushState> {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'blocked';
  const registration = await navigator.serviceWorker.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  return subscription && Notification.permission === 'granted' ? 'on' : 'off';
}

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(text.length));
  for (let index = 0; index < text.length; index++) bytes[index] = text.charCodeAt(index);
  return bytes;
}

/**
 * Asks for permission (only ever called from a tap on a button) and subscribes this device;
 * the server keeps the subscription for this session, and drops it at sign-out.
 */
export async function turnPushOn(): Promise<PushState | 'failed'> {
  if (!supported()) return 'unsupported';
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return permission === 'denied' ? 'blocked' : 'off';
  const key = await getJson(fetch, '/api/push/key');
  if (key.kind !== 'ok') return 'failed';
  const publicKey = (key.value as { publicKey?: unknown }).publicKey;
  if (typeof publicKey !== 'string') return 'failed';
  const registration = await navigator.serviceWorker.ready;
  const subscription = await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: keyBytes(publicKey),
  });
  const saved = await postJson(fetch, '/api/push/subscriptions', subscription.toJSON());
  return saved.kind === 'ok' ? 'on' : 'failed';
}
