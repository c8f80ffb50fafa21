import type { PageLoad } from './$types';

const NOTICES = {
  activated: 'Your account is ready. Sign in with your new password.',
  'signed-out': 'You have signed out. Nothing of yours is left on this device.',
  ended: 'Your session has ended. Please sign in again.',
  expired: 'Your session has reached its time limit. Please sign in again.',
} as const;

const isKnown = (reason: string | null): reason is keyof typeof NOTICES =>
  reason !== null && Object.hasOwn(NOTICES, reason);

export const load: PageLoad = ({ url }) => {
  const reason = url.searchParams.get('reason');
  return { notice: isKnown(reason) ? NOTICES[reason] : null };
};
