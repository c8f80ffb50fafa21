import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Me } from '@schoolping/shared';
import { z } from 'zod';
import { accessFor } from '../auth/access.ts';
import { isLiveActivationCode, redeemActivationCode } from '../auth/activation.ts';
import { audit } from '../auth/audit.ts';
import { checkPassword, hashPassword, passwordProblem } from '../auth/passwords.ts';
import {
  endAllSessions,
  endSession,
  idleMinutes,
  listSessions,
  markMfaDone,
  SESSION_COOKIE,
  startSession,
} from '../auth/sessions.ts';
import { normaliseCode, tokenHash } from '../auth/tokens.ts';
import { beginTotp, enableTotp, useRecoveryCode, useTotp } from '../auth/totp.ts';
import { setPassword, userByEmail, userById, type UserRow } from '../auth/users.ts';
import { QueueFullError } from '../auth/work-queue.ts';
import { clientAddress, limitGroup, type ProxyTrust } from '../http/client-address.ts';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';

const signInBody = z.object({
  email: z.string().trim().min(3).max(254),
  password: z.string().min(1).max(256),
  totp: z.string().trim().max(40).optional(),
});
const activateBody = z.object({ code: z.string().trim().min(8).max(40), password: z.string().max(256) });
const totpBody = z.object({ code: z.string().trim().max(10) });

interface LimitKeys {
  readonly account: string;
  readonly accountAtAddress: string;
  readonly address: string;
}

function limitKeys(c: Context, subject: string, proxies: ProxyTrust): LimitKeys {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    // app.request in tests has no socket
  }
  const address = limitGroup(clientAddress(peer, c.req.header('x-forwarded-for'), proxies));
  return { account: subject, accountAtAddress: `${subject}@${address}`, address: `address:${address}` };
}

/** Whether this account must use a second factor: admins, unless their school turned that off. */
function mustUseMfa(context: AppContext, user: UserRow): boolean {
  if (!user.roles.some((role) => role === 'payments-admin' || role === 'school-admin')) return false;
  const school = context.db
    .prepare('SELECT require_admin_mfa FROM schools WHERE id = ?')
    .get(user.schoolId) as { require_admin_mfa: number };
  return school.require_admin_mfa === 1;
}

function me(context: AppContext, c: Context<AppEnv>): Me | null {
  const principal = c.get('principal');
  const user = c.get('user');
  const session = c.get('session');
  if (!principal || !user || !session) return null;
  return {
    userId: user.id,
    schoolId: user.schoolId,
    name: user.name,
    email: user.email,
    kind: user.kind,
    roles: user.roles,
    isReadOnly: principal.isReadOnly,
    needsMfaSetup: session.needsMfaSetup,
    totpEnabled: user.totpEnabled,
    sessionExpiresAt: session.expiresAt,
    serverNow: context.clock().toISOString(),
    idleMinutes: idleMinutes(user, context.settings),
  };
}

export function authRoutes(context: AppContext) {
  const { db, clock, settings, limits } = context;

  /**
   * Count an attempt, or answer 429 with Retry-After while any of the keys must wait. Called with
   * no await between it and the check it guards' start: sixty guesses sent at once each see the
   * attempts before them, so no more than the limit ever reach the password check.
   */
  function admit(c: Context, keys: LimitKeys): Response | null {
    const now = clock().getTime();
    const wait = Math.max(
      limits.accountAtAddress.waitFor(keys.accountAtAddress, now),
      limits.account.waitFor(keys.account, now),
      limits.address.waitFor(keys.address, now),
    );
    if (wait === 0) {
      limits.accountAtAddress.fail(keys.accountAtAddress, now);
      limits.account.fail(keys.account, now);
      limits.address.fail(keys.address, now);
      return null;
    }
    context.telemetry.rateLimited.inc({ reason: 'sign-in' });
    return tooMany(c, wait);
  }

  /** Not a wrong guess after all (nothing was checked, or only the password was, and it was right). */
  function refund(keys: LimitKeys): void {
    limits.accountAtAddress.refund(keys.accountAtAddress);
    limits.account.refund(keys.account);
    limits.address.refund(keys.address);
  }

  /**
   * Argon2 work, or null when its queue is full: that is not a wrong password, so the attempt is
   * given back, and the person is told to try again shortly.
   */
  async function unlessBusy<T>(keys: LimitKeys, work: () => Promise<T>): Promise<{ value: T } | null> {
    try {
      return { value: await work() };
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error;
      refund(keys);
      context.telemetry.rateLimited.inc({ reason: 'password-queue-full' });
      return null;
    }
  }

  /** The attempt was right: the account's slate is wiped and the address gets its attempt back. */
  function succeeded(keys: LimitKeys): void {
    limits.account.succeed(keys.account);
    limits.accountAtAddress.succeed(keys.accountAtAddress);
    limits.address.refund(keys.address);
  }

  /** Authenticator codes from one account are limited like sign-ins; each wrong one is audited. */
  function admitSecondFactor(c: Context, user: UserRow): Response | null {
    const now = clock().getTime();
    const key = `totp:user:${user.id}`;
    const wait = limits.secondFactor.waitFor(key, now);
    if (wait > 0) {
      context.telemetry.rateLimited.inc({ reason: 'authenticator' });
      return tooMany(c, wait);
    }
    limits.secondFactor.fail(key, now);
    return null;
  }

  function secondFactorFailed(user: UserRow, step: string): void {
    audit(
      db,
      { actor: `user:${user.id}`, action: 'totp-failed', object: `user:${user.id}`, detail: { step } },
      clock(),
    );
  }

  return new Hono<AppEnv>()
    .post('/sign-in', guard(context, 'POST /api/auth/sign-in'), async (c) => {
      const parsed = signInBody.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success)
        return c.json({ error: 'invalid-request', message: 'Give your email and password.' }, 400);
      const { email, password, totp } = parsed.data;
      const keys = limitKeys(c, `account:${email.toLowerCase()}`, context.proxies);
      const refused = admit(c, keys);
      if (refused) return refused;
      const user = userByEmail(db, email);
      const checked = await unlessBusy(keys, () => checkPassword(user?.passwordHash ?? null, password));
      if (checked === null) return busy(c);
      const isRight = checked.value;
      const now = clock();
      if (!isRight || !user) {
        audit(
          db,
          {
            actor: 'anonymous',
            action: 'sign-in-failed',
            object: user ? `user:${user.id}` : 'unknown-account',
          },
          now,
        );
        return c.json(
          {
            error: 'invalid-credentials',
            message: 'That email address and password do not match an account.',
          },
          401,
        );
      }
      const access = accessFor(db, user, now, settings);
      if (!access.ok) {
        succeeded(keys);
        audit(
          db,
          {
            actor: `user:${user.id}`,
            action: 'sign-in-refused',
            object: `user:${user.id}`,
            detail: { reason: access.reason },
          },
          now,
        );
        return c.json({ error: access.reason, message: access.sentence }, 403);
      }
      if (user.totpEnabled) {
        if (!totp) {
          // The password was right; asking for the code is not a failed attempt. Only this one
          // attempt is given back: earlier wrong guesses still count.
          refund(keys);
          return c.json(
            { error: 'totp-required', message: 'Enter the code from your authenticator app.' },
            401,
          );
        }
        // Whoever has the password guesses codes under the authenticator limit, by account.
        const waiting = admitSecondFactor(c, user);
        if (waiting) return waiting;
        if (
          !useTotp(db, context.keys, user, totp, context.authenticatorClock()) &&
          !useRecoveryCode(db, user, totp, now)
        ) {
          audit(
            db,
            {
              actor: 'anonymous',
              action: 'sign-in-failed',
              object: `user:${user.id}`,
              detail: { factor: 'totp' },
            },
            now,
          );
          return c.json(
            {
              error: 'invalid-totp',
              message: 'That code is not right. Check your authenticator app and try again.',
            },
            401,
          );
        }
        limits.secondFactor.succeed(`totp:user:${user.id}`);
      }
      succeeded(keys);
      // A new session id at every sign-in: any id planted before it is worthless.
      const previous = getCookie(c, SESSION_COOKIE);
      if (previous) endSession(db, tokenHash(previous));
      const needsMfaSetup = !user.totpEnabled && mustUseMfa(context, user);
      const session = startSession(db, user, now, settings, {
        userAgent: c.req.header('user-agent') ?? '',
        needsMfaSetup,
      });
      setCookie(c, SESSION_COOKIE, session.id, {
        path: '/',
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
        // Relative, not an absolute date: the browser's clock need not agree with ours.
        maxAge: Math.max(0, Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000)),
      });
      audit(db, { actor: `user:${user.id}`, action: 'sign-in', object: `user:${user.id}` }, now);
      return c.json({
        status: needsMfaSetup ? 'mfa-setup-required' : 'signed-in',
        sessionExpiresAt: session.expiresAt.toISOString(),
      });
    })
    .post('/activate', guard(context, 'POST /api/auth/activate'), async (c) => {
      const parsed = activateBody.safeParse(await c.req.json().catch(() => null));
      if (!parsed.success)
        return c.json(
          { error: 'invalid-request', message: 'Give the activation code and a new password.' },
          400,
        );
      const keys = limitKeys(c, `code:${tokenHash(normaliseCode(parsed.data.code))}`, context.proxies);
      const refused = admit(c, keys);
      if (refused) return refused;
      const invalidCode = () => {
        audit(db, { actor: 'anonymous', action: 'activation-failed', object: 'activation-code' }, clock());
        return c.json(
          {
            error: 'invalid-code',
            message:
              'That code is not valid: it may have been used or have expired. Ask the school for a new one.',
          },
          400,
        );
      };
      // The code first: a bogus one must not cost a 19 MiB hash.
      if (!isLiveActivationCode(db, parsed.data.code, clock())) return invalidCode();
      const problem = passwordProblem(parsed.data.password);
      if (problem) {
        limits.address.refund(keys.address);
        return c.json({ error: 'weak-password', message: problem }, 400);
      }
      const hashed = await unlessBusy(keys, () => hashPassword(parsed.data.password));
      if (hashed === null) return busy(c);
      const passwordHash = hashed.value;
      const now = clock();
      // Checked again in the transaction that uses it: two requests with one code, one account.
      const redeemed = db.transaction(() => {
        const result = redeemActivationCode(db, parsed.data.code, now);
        if (result.ok) setPassword(db, result.userId, passwordHash);
        return result;
      })();
      if (!redeemed.ok) return invalidCode();
      succeeded(keys);
      audit(
        db,
        { actor: `user:${redeemed.userId}`, action: 'activate', object: `user:${redeemed.userId}` },
        now,
      );
      return c.json({ email: userById(db, redeemed.userId)?.email ?? null });
    })
    .post('/sign-out', guard(context, 'POST /api/auth/sign-out'), (c) => {
      const session = c.get('session');
      if (session) endSession(db, session.idHash);
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
      audit(
        db,
        { actor: `user:${session?.userId ?? 0}`, action: 'sign-out', object: `user:${session?.userId ?? 0}` },
        clock(),
      );
      return c.json({ status: 'signed-out' });
    })
    .get('/me', guard(context, 'GET /api/auth/me'), (c) => c.json(me(context, c)))
    .get('/sessions', guard(context, 'GET /api/auth/sessions'), (c) => {
      const current = c.get('session');
      const user = c.get('user');
      const sessions = (user ? listSessions(db, user, clock(), settings) : []).map((session) => ({
        startedAt: session.createdAt,
        lastSeenAt: session.lastSeenAt,
        expiresAt: session.expiresAt,
        device: session.userAgent,
        isCurrent: session.idHash === current?.idHash,
      }));
      return c.json({ sessions });
    })
    .post('/sessions/end-all', guard(context, 'POST /api/auth/sessions/end-all'), (c) => {
      const user = c.get('user');
      const ended = user ? endAllSessions(db, user.id) : 0;
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true });
      audit(
        db,
        {
          actor: `user:${user?.id ?? 0}`,
          action: 'sessions-ended',
          object: `user:${user?.id ?? 0}`,
          detail: { ended },
        },
        clock(),
      );
      return c.json({ ended });
    })
    .post('/totp/setup', guard(context, 'POST /api/auth/totp/setup'), async (c) => {
      const user = c.get('user');
      if (!user) return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
      // Replacing a working factor needs that factor: a session left open is not enough.
      if (user.totpEnabled) {
        const parsed = totpBody.safeParse(await c.req.json().catch(() => null));
        const refused = admitSecondFactor(c, user);
        if (refused) return refused;
        if (
          !parsed.success ||
          !useTotp(db, context.keys, user, parsed.data.code, context.authenticatorClock())
        ) {
          secondFactorFailed(user, 'replace');
          return c.json(
            { error: 'totp-required', message: 'Enter a code from your current authenticator app first.' },
            403,
          );
        }
        limits.secondFactor.succeed(`totp:user:${user.id}`);
      }
      audit(
        db,
        { actor: `user:${user.id}`, action: 'totp-setup-started', object: `user:${user.id}` },
        clock(),
      );
      return c.json(beginTotp(db, context.keys, user));
    })
    .post('/totp/enable', guard(context, 'POST /api/auth/totp/enable'), async (c) => {
      const parsed = totpBody.safeParse(await c.req.json().catch(() => null));
      const session = c.get('session');
      const user = session ? userById(db, session.userId) : null;
      if (!parsed.success || !user || !session)
        return c.json({ error: 'invalid-request', message: 'Give the code from your app.' }, 400);
      const refused = admitSecondFactor(c, user);
      if (refused) return refused;
      const codes = enableTotp(db, context.keys, user, parsed.data.code, context.authenticatorClock());
      if (!codes) {
        secondFactorFailed(user, 'enable');
        return c.json(
          {
            error: 'invalid-totp',
            message: 'That code is not right. Check the time on your phone and try again.',
          },
          400,
        );
      }
      limits.secondFactor.succeed(`totp:user:${user.id}`);
      markMfaDone(db, session.idHash);
      audit(db, { actor: `user:${user.id}`, action: 'totp-enabled', object: `user:${user.id}` }, clock());
      return c.json({ recoveryCodes: codes });
    });
}

function tooMany(c: Context, waitMs: number): Response {
  c.header('Retry-After', String(Math.ceil(waitMs / 1000)));
  return c.json(
    {
      error: 'too-many-attempts',
      message: `Too many attempts. Try again in ${Math.ceil(waitMs / 60_000)} minutes.`,
    },
    429,
  );
}

/** Argon2's queue is full: nothing was checked, and the client may try again in a second. */
function busy(c: Context): Response {
  c.header('Retry-After', '1');
  return c.json({ error: 'busy', message: 'The server is busy. Try again in a moment.' }, 503);
}
