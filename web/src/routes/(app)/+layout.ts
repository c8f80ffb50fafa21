import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { hasExpired } from '$lib/services/session-decision';
import { endSession, resolveSession, signInPath } from '$lib/session-actions';
import type { LayoutLoad } from './$types';

/** Every page in this group needs someone signed in (offline: until the session's absolute end). */
export const load: LayoutLoad = async ({ fetch, url }) => {
  const resolved = await resolveSession(fetch);
  if (!resolved.me) redirect(307, signInPath(resolved.reason));
  // The answer is kept for the page's life, which may outlast the session (a laptop asleep for days).
  if (hasExpired(resolved.me, new Date())) redirect(307, await endSession('expired'));
  // An admin whose school requires a second factor can do nothing else until it is set up.
  if (resolved.me.needsMfaSetup && url.pathname !== resolve('/account/authenticator'))
    redirect(307, resolve('/account/authenticator'));
  return { me: resolved.me };
};
