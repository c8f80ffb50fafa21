import { decideRoute, type RouteId } from '@schoolping/shared';
import type { MiddlewareHandler } from 'hono';
import { audit } from '../auth/audit.ts';
import type { AppEnv, AppContext } from './env.ts';

const ANSWERS = {
  'sign-in-required': { status: 401, message: 'Please sign in.' },
  forbidden: { status: 403, message: 'Your account cannot do this.' },
  'read-only': {
    status: 403,
    message: 'Your account can only read now: your children have left the school.',
  },
  'mfa-setup-required': { status: 403, message: 'Set up your authenticator app before going on.' },
} as const;

const MFA_SETUP_ROUTES: readonly RouteId[] = [
  'GET /api/auth/me',
  'POST /api/auth/sign-out',
  'POST /api/auth/totp/setup',
  'POST /api/auth/totp/enable',
];

/**
 * Enforce the shared policy for one route. A signed-in person refused is audited (who tried what);
 * an anonymous refusal is only counted, with a sampled log line: anyone can make those by the
 * thousand, and each audit row costs a synced write.
 */
export function guard(context: AppContext, route: RouteId): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    let decision: keyof typeof ANSWERS | 'allowed' = decideRoute(principal, route);
    if (decision === 'allowed' && c.get('session')?.needsMfaSetup && !MFA_SETUP_ROUTES.includes(route))
      decision = 'mfa-setup-required';
    if (decision === 'allowed') return next();
    const answer = ANSWERS[decision];
    if (principal) {
      audit(
        context.db,
        {
          actor: `user:${principal.userId}`,
          action: 'denied',
          object: route,
          detail: { reason: decision },
        },
        context.clock(),
      );
    } else {
      context.telemetry.anonymousRefusals.inc();
      const line = context.anonymousRefusalLog.note(
        context.clock().getTime(),
        (since) =>
          `Refused ${since} anonymous request${since === 1 ? '' : 's'} since the last report (latest: ${route}).`,
      );
      if (line) context.log(line);
    }
    return c.json({ error: decision, message: answer.message }, answer.status);
  };
}
