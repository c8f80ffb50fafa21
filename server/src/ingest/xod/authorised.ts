/** Data requests with the token: one fresh token and one retry when XoD says it has expired. */
import type { TokenSource } from './tokens.ts';
import { exceptionText, isSuccess, send, transportError } from './transport.ts';
import { fail, invalidResponse, isJsonObject, type JsonObject, type Outcome } from './types.ts';

export interface AuthorisedContext {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  readonly tokens: TokenSource;
}

/** GET with the token; on a 401 or an expired-token exception, one fresh token and one retry. */
export async function getAuthorised(
  ctx: AuthorisedContext,
  url: string,
  endpoint: string,
  where: string,
): Promise<Outcome<JsonObject>> {
  for (let attempt = 1; ; attempt++) {
    const token = await ctx.tokens.current();
    if (!token.ok) return token;
    const reply = await send(ctx.fetch, ctx.timeoutMs, url, {
      method: 'GET',
      headers: { Accept: 'application/json', Authorization: `Idaas ${token.value}` },
    });
    if (!reply.ok) return fail(transportError(reply.failure, url, endpoint, where));

    const { status, json } = reply;
    const rejected = status === 401 || (isSuccess(status) && isExpiredTokenException(json));
    if (rejected) {
      if (attempt === 1) {
        ctx.tokens.discard();
        continue;
      }
      return fail({
        code: 'auth',
        endpoint,
        status,
        message:
          `Xporter on Demand rejected a freshly issued token for ${where}. ` +
          `Check that the school has authorised this app in Groupcall.`,
      });
    }
    return classifyDataReply(status, json, endpoint, where);
  }
}

function classifyDataReply(
  status: number,
  json: unknown,
  endpoint: string,
  where: string,
): Outcome<JsonObject> {
  const serverSays = exceptionText(json);
  const detail = serverSays === null ? '' : `: ${serverSays}`;
  if (status === 403) {
    return fail({
      code: 'auth',
      endpoint,
      status,
      message: `Xporter on Demand refused access to ${where} (HTTP 403)${detail}. Check the app's permissions in Groupcall.`,
    });
  }
  if (!isSuccess(status)) {
    return fail({
      code: 'http',
      endpoint,
      status,
      message: `Xporter on Demand answered HTTP ${status} for ${where}${detail}. Try again later.`,
    });
  }
  // XoD reports some failures as HTTP 200 with an error envelope.
  if (serverSays !== null) {
    return fail({
      code: 'exception',
      endpoint,
      status,
      message: `Xporter on Demand reported a problem with ${where}: ${serverSays}`,
    });
  }
  if (!isJsonObject(json)) return fail(invalidResponse(endpoint, where, 'a reply that is not a JSON object'));
  return { ok: true, value: json };
}

/** The exact wording is unrecorded, so any exception about a token being expired or invalid counts. */
function isExpiredTokenException(json: unknown): boolean {
  const text = exceptionText(json);
  return text !== null && /token/i.test(text) && /expired|invalid|not valid/i.test(text);
}
