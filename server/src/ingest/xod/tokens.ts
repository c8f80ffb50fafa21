/**
 * The IDaaS sign-in token: requested with the school's credentials, kept in a cache the caller owns,
 * refreshed shortly before it expires and thrown away when XoD refuses it.
 */
import { exceptionText, isSuccess, send, transportError } from './transport.ts';
import {
  fail,
  isJsonObject,
  type Outcome,
  type XodCachedToken,
  type XodConfig,
  type XodTokenCache,
} from './types.ts';

/** Refresh this long before `expires`, so a token does not lapse between check and use. */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
const THIRD_PARTY_ID = 'XporterOnDemand';

export function createXodTokenCache(): XodTokenCache {
  return { entry: null };
}

export interface TokenSource {
  current(): Promise<Outcome<string>>;
  /** Forget the cached token, after XoD rejected it. */
  discard(): void;
}

export function tokenSource(
  config: XodConfig,
  fetchImpl: typeof fetch,
  now: () => Date,
  timeoutMs: number,
  cache: XodTokenCache,
): TokenSource {
  const key = `${config.tokenUrl}|${config.relyingParty}|${config.estab}`;
  const usable = (entry: XodCachedToken | null): entry is XodCachedToken =>
    entry !== null &&
    entry.key === key &&
    (entry.expiresAt === null || now().getTime() < entry.expiresAt - TOKEN_REFRESH_MARGIN_MS);

  // A token issued during this pull is used until XoD refuses it: judging it by the clock again
  // would fetch a new one per request whenever our clock runs ahead of Groupcall's.
  let issuedThisPull: string | null = null;

  return {
    async current() {
      const entry = cache.entry;
      if (entry !== null && entry.key === key && entry.token === issuedThisPull)
        return { ok: true, value: entry.token };
      if (usable(entry)) return { ok: true, value: entry.token };
      const issued = await requestToken(config, fetchImpl, timeoutMs);
      if (!issued.ok) return issued;
      cache.entry = { key, ...issued.value };
      issuedThisPull = issued.value.token;
      return { ok: true, value: issued.value.token };
    },
    discard() {
      if (cache.entry?.key === key) cache.entry = null;
      issuedThisPull = null;
    },
  };
}

async function requestToken(
  config: XodConfig,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<Outcome<{ token: string; expiresAt: number | null }>> {
  const endpoint = 'token';
  const service = "Groupcall's sign-in service";
  const reply = await send(fetchImpl, timeoutMs, config.tokenUrl, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    // Field names as recorded: `password`, not `secret`.
    body: JSON.stringify({
      relyingParty: config.relyingParty,
      thirdPartyId: THIRD_PARTY_ID,
      estab: config.estab,
      password: config.secret,
    }),
  });
  if (!reply.ok) return fail(transportError(reply.failure, config.tokenUrl, endpoint, 'a sign-in token'));

  const { status, json } = reply;
  const serverSays = exceptionText(json);
  const detail = serverSays === null ? '' : `: ${serverSays}`;
  if (status >= 500) {
    return fail({
      code: 'http',
      endpoint,
      status,
      message: `${service} answered HTTP ${status}${detail}. Try again later.`,
    });
  }
  const token = isJsonObject(json) ? json['token'] : undefined;
  if (!isSuccess(status) || serverSays !== null || typeof token !== 'string' || token === '') {
    return fail({
      code: 'auth',
      endpoint,
      status,
      message:
        `${service} did not issue a token for establishment ${config.estab}${detail}. ` +
        `Check the relying party, establishment number and secret.`,
    });
  }
  return { ok: true, value: { token, expiresAt: parseExpires(json) } };
}

/** `expires` is an absolute UTC instant with a 7-digit fraction, e.g. 2018-06-24T18:55:26.1852229Z. */
function parseExpires(json: unknown): number | null {
  const raw = isJsonObject(json) ? json['expires'] : undefined;
  if (typeof raw !== 'string') return null;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? null : ms;
}
