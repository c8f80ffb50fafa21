/**
 * Push services browsers subscribe through. The server POSTs to whatever endpoint a subscription
 * names, so an endpoint anywhere else (a service inside the school's network, say) is refused:
 * a parent's phone cannot turn the server into a way in.
 */
const PUSH_SERVICE_HOSTS = [
  'fcm.googleapis.com',
  'updates.push.services.mozilla.com',
  'push.services.mozilla.com',
  'web.push.apple.com',
  'notify.windows.com',
];

export function isKnownPushService(url: URL): boolean {
  if (url.protocol !== 'https:' || url.port !== '') return false;
  return PUSH_SERVICE_HOSTS.some((host) => url.hostname === host || url.hostname.endsWith(`.${host}`));
}
