import { wipeLocalData, type DeviceStorage, type WipeReport } from './local-wipe';

/**
 * The session cookie is HttpOnly, out of the page's reach: a sign-out the server never heard of
 * leaves that session alive, and the next person online would be signed in as this one. So the
 * device remembers (in web storage, holding nothing personal) to tell the server first thing.
 */
const PENDING_KEY = 'schoolping.pending-sign-out';

export interface SignOutDeps {
  /** Whether the server heard it; a network failure must not stop the wipe. */
  readonly tellServer: () => Promise<boolean>;
  readonly storage: DeviceStorage;
  readonly pending: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export interface SignOutReport extends WipeReport {
  readonly isServerTold: boolean;
}

export async function signOut(deps: SignOutDeps): Promise<SignOutReport> {
  const isServerTold = await deps.tellServer().catch(() => false);
  const report = await wipeLocalData(deps.storage);
  // After the wipe, which clears web storage too.
  if (!isServerTold) deps.pending.setItem(PENDING_KEY, 'yes');
  return { ...report, isServerTold };
}

/** Tell the server of a sign-out made offline, if there is one; true once nothing is pending. */
export async function sendPendingSignOut(
  deps: Pick<SignOutDeps, 'tellServer' | 'pending'>,
): Promise<boolean> {
  if (deps.pending.getItem(PENDING_KEY) === null) return true;
  if (!(await deps.tellServer().catch(() => false))) return false;
  deps.pending.removeItem(PENDING_KEY);
  return true;
}

export function forgetPendingSignOut(pending: Pick<Storage, 'removeItem'>): void {
  pending.removeItem(PENDING_KEY);
}
