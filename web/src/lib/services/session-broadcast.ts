/*
 * Every open tab shares the cookie and the device storage: when one signs out, the others must drop
 * what they hold in memory too, or the next person sees it.
 */

export const SESSION_CHANNEL = 'schoolping-session';

const SIGNED_OUT = 'signed-out';

/** One channel per page: a channel never hears its own messages, so a tab does not hear itself. */
let channel: BroadcastChannel | null = null;
const listeners = new Set<() => void>();

function pageChannel(): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  if (channel) return channel;
  channel = new BroadcastChannel(SESSION_CHANNEL);
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const data = event.data;
    if (typeof data === 'object' && data !== null && 'kind' in data && data.kind === SIGNED_OUT)
      for (const listener of listeners) listener();
  };
  return channel;
}

export function announceSignOut(): void {
  pageChannel()?.postMessage({ kind: SIGNED_OUT });
}

/** Runs `onSignedOut` when another tab signs out; returns a stop function. */
export function onSignOutElsewhere(onSignedOut: () => void): () => void {
  pageChannel();
  listeners.add(onSignedOut);
  return () => {
    listeners.delete(onSignedOut);
    if (listeners.size === 0) {
      channel?.close();
      channel = null;
    }
  };
}
