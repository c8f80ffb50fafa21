import { meSchema, type Me } from '@schoolping/shared';
import { getJson, isRecord, postJson, type ApiResult } from './api';

/** GET /api/auth/me: who is signed in. Nothing in it is secret, so a copy may stay on the device. */
export type { Me };

export interface Credentials {
  readonly email: string;
  readonly password: string;
  readonly totp?: string;
}

export type SignInStatus = 'signed-in' | 'mfa-setup-required';

/**
 * Checked by hand because the server's own schema for this answer does not live in shared/ yet;
 * anything unexpected is refused rather than trusted (and never saved).
 */
export function parseMe(value: unknown): Me | null {
  const parsed = meSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** What the server says about the current session: a person, nobody, or nothing at all (offline). */
export type MeAnswer =
  | { readonly kind: 'me'; readonly me: Me }
  | { readonly kind: 'signed-out' }
  | { readonly kind: 'unreachable' };

export async function fetchMe(
  fetcher: typeof fetch,
  deviceNow: () => Date = () => new Date(),
): Promise<MeAnswer> {
  const answer = await getJson(fetcher, '/api/auth/me');
  if (answer.kind === 'refused' && answer.status === 401) return { kind: 'signed-out' };
  const me = answer.kind === 'ok' ? parseMe(answer.value) : null;
  return me ? { kind: 'me', me: inDeviceTime(me, deviceNow()) } : { kind: 'unreachable' };
}

/**
 * The session's end on this device's clock: as long after the device's now as the server said it
 * was after the server's. A device set a month wrong (or a server running as of another date)
 * then neither ends a session early nor keeps it past its time offline.
 */
export function inDeviceTime(me: Me, deviceNow: Date): Me {
  const remaining = Date.parse(me.sessionExpiresAt) - Date.parse(me.serverNow);
  return {
    ...me,
    sessionExpiresAt: new Date(deviceNow.getTime() + remaining).toISOString(),
    serverNow: deviceNow.toISOString(),
  };
}

export async function requestSignIn(
  fetcher: typeof fetch,
  credentials: Credentials,
): Promise<ApiResult<SignInStatus>> {
  const answer = await postJson(fetcher, '/api/auth/sign-in', credentials);
  if (answer.kind !== 'ok') return answer;
  const status = isRecord(answer.value) ? answer.value.status : null;
  return { kind: 'ok', value: status === 'mfa-setup-required' ? 'mfa-setup-required' : 'signed-in' };
}

/** Whether the server heard the sign-out; any answer at all counts, since its session is then gone or was. */
/** True once the server has no session for this cookie: it ended it now, or it was gone already. */
export async function requestSignOut(fetcher: typeof fetch): Promise<boolean> {
  const answer = await postJson(fetcher, '/api/auth/sign-out');
  return answer.kind === 'ok' || (answer.kind === 'refused' && answer.status === 401);
}

export async function activateAccount(
  fetcher: typeof fetch,
  request: { readonly code: string; readonly password: string },
): Promise<ApiResult<{ readonly email: string | null }>> {
  const answer = await postJson(fetcher, '/api/auth/activate', request);
  if (answer.kind !== 'ok') return answer;
  const email = isRecord(answer.value) ? answer.value.email : null;
  return { kind: 'ok', value: { email: typeof email === 'string' ? email : null } };
}

export async function beginAuthenticator(
  fetcher: typeof fetch,
): Promise<ApiResult<{ readonly secret: string; readonly uri: string }>> {
  const answer = await postJson(fetcher, '/api/auth/totp/setup');
  if (answer.kind !== 'ok') return answer;
  const { secret, uri } = isRecord(answer.value) ? answer.value : {};
  return typeof secret === 'string' && typeof uri === 'string'
    ? { kind: 'ok', value: { secret, uri } }
    : { kind: 'unreachable', message: 'The server’s answer was not understood. Try again.' };
}

export async function enableAuthenticator(
  fetcher: typeof fetch,
  code: string,
): Promise<ApiResult<{ readonly recoveryCodes: readonly string[] }>> {
  const answer = await postJson(fetcher, '/api/auth/totp/enable', { code });
  if (answer.kind !== 'ok') return answer;
  const codes = isRecord(answer.value) ? answer.value.recoveryCodes : null;
  return Array.isArray(codes) && codes.every((code) => typeof code === 'string')
    ? { kind: 'ok', value: { recoveryCodes: codes } }
    : { kind: 'unreachable', message: 'The server’s answer was not understood. Try again.' };
}
