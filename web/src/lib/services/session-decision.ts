import type { Me, MeAnswer } from './auth';

/** Why someone is at the sign-in page, for the sentence shown there. */
export type SignedOutReason = 'none' | 'ended' | 'expired';

export type SessionDecision =
  | {
      readonly kind: 'signed-in';
      readonly me: Me;
      /** False when the server could not be asked and the copy on this device stands in. */
      readonly isFromServer: boolean;
      /** Another person's things are still on this device and must go before this one's arrive. */
      readonly shouldWipe: boolean;
    }
  | { readonly kind: 'signed-out'; readonly reason: SignedOutReason; readonly shouldWipe: boolean };

export const systemNow = (): Date => new Date();

export function hasExpired(me: Pick<Me, 'sessionExpiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(me.sessionExpiresAt);
}

/**
 * Whether a staff session coming back (a reload, a tab opened again) must start locked: the idle time
 * passed since the last recorded use, or no use was recorded at all. Parents never lock.
 */
export function shouldLockOnReturn(
  me: Pick<Me, 'kind' | 'idleMinutes'>,
  lastActiveAt: string | null,
  now: Date,
): boolean {
  if (me.kind !== 'staff') return false;
  const last = lastActiveAt === null ? Number.NaN : Date.parse(lastActiveAt);
  if (Number.isNaN(last)) return true;
  return now.getTime() - last >= me.idleMinutes * 60_000;
}

/**
 * Whom to show, from what the server said and what this device remembers. Offline, the saved copy
 * holds until the session's absolute end; the server's word wins whenever it can be had. Whenever a
 * saved person is no longer signed in, everything of theirs on the device is wiped.
 */
export function decideSession(answer: MeAnswer, saved: Me | null, now: Date): SessionDecision {
  switch (answer.kind) {
    case 'me':
      return {
        kind: 'signed-in',
        me: answer.me,
        isFromServer: true,
        shouldWipe: saved !== null && saved.userId !== answer.me.userId,
      };
    case 'signed-out':
      return { kind: 'signed-out', reason: saved ? 'ended' : 'none', shouldWipe: saved !== null };
    case 'unreachable':
      if (!saved) return { kind: 'signed-out', reason: 'none', shouldWipe: false };
      if (hasExpired(saved, now)) return { kind: 'signed-out', reason: 'expired', shouldWipe: true };
      return { kind: 'signed-in', me: saved, isFromServer: false, shouldWipe: false };
  }
}
