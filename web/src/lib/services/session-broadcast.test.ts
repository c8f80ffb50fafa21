import { describe, expect, it, vi } from 'vitest';
import { announceSignOut, onSignOutElsewhere, SESSION_CHANNEL } from './session-broadcast';

describe('session broadcast', () => {
  it('hears a sign-out announced by another tab', async () => {
    const onSignedOut = vi.fn();
    const stop = onSignOutElsewhere(onSignedOut);
    const otherTab = new BroadcastChannel(SESSION_CHANNEL);
    otherTab.postMessage({ kind: 'signed-out' });
    otherTab.postMessage({ kind: 'something-else' });
    await vi.waitFor(() => {
      expect(onSignedOut).toHaveBeenCalledOnce();
    });
    otherTab.close();
    stop();
  });

  it('tells other tabs, but not itself', async () => {
    const onSignedOut = vi.fn();
    const stop = onSignOutElsewhere(onSignedOut);
    const otherTab = new BroadcastChannel(SESSION_CHANNEL);
    const heard = new Promise<unknown>((resolve) => {
      otherTab.onmessage = (event: MessageEvent<unknown>) => {
        resolve(event.data);
      };
    });
    announceSignOut();
    expect(await heard).toEqual({ kind: 'signed-out' });
    otherTab.close();
    stop();
    expect(onSignedOut).not.toHaveBeenCalled();
  });
});
