/*
 * The one place the PWA talks HTTP to its own server. Every refusal carries the server's sentence for
 * people, which the UI shows as it is; a network failure gets a sentence of ours.
 */

export type ApiResult<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | {
      readonly kind: 'refused';
      readonly status: number;
      /** The server's reason literal, e.g. `'invalid-credentials'`. */
      readonly error: string;
      /** Includes any wait (429), in words: Retry-After adds nothing a person needs. */
      readonly message: string;
    }
  | { readonly kind: 'unreachable'; readonly message: string };

export const UNREACHABLE_MESSAGE = 'SchoolPing could not be reached. Check the connection and try again.';

/** A hanging request (a captive portal, a dead Wi-Fi) must not keep the app from its offline copy. */
const TIMEOUT_MS = 10_000;

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function getJson(fetcher: typeof fetch, path: string): Promise<ApiResult<unknown>> {
  return send(fetcher, path, { method: 'GET', headers: { accept: 'application/json' } });
}

/** Every state change is same-origin JSON, even with nothing to say: the server refuses anything else. */
export function postJson(
  fetcher: typeof fetch,
  path: string,
  body: unknown = {},
): Promise<ApiResult<unknown>> {
  return send(fetcher, path, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
}

async function send(fetcher: typeof fetch, path: string, init: RequestInit): Promise<ApiResult<unknown>> {
  let response: Response;
  try {
    response = await fetcher(path, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    return { kind: 'unreachable', message: UNREACHABLE_MESSAGE };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return { kind: 'ok', value: body };
  // A proxy or a dead server answers without our JSON: that is the network's fault, not the person's.
  if (!isRecord(body) || typeof body.message !== 'string') {
    return response.status >= 500 || response.status === 0
      ? { kind: 'unreachable', message: UNREACHABLE_MESSAGE }
      : refused(response, 'unexpected', `Something went wrong (${response.status}). Try again.`);
  }
  return refused(response, typeof body.error === 'string' ? body.error : 'unexpected', body.message);
}

function refused(response: Response, error: string, message: string): ApiResult<never> {
  return { kind: 'refused', status: response.status, error, message };
}

/** Anything with zod's `safeParse`: the shared answer schemas. */
interface AnswerSchema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/** GET an answer and read it with its shared schema; an answer that does not fit is the server's fault. */
export async function getParsed<T>(
  fetcher: typeof fetch,
  path: string,
  schema: AnswerSchema<T>,
): Promise<ApiResult<T>> {
  const answer = await getJson(fetcher, path);
  if (answer.kind !== 'ok') return answer;
  const parsed = schema.safeParse(answer.value);
  return parsed.success
    ? { kind: 'ok', value: parsed.data }
    : {
        kind: 'refused',
        status: 200,
        error: 'unreadable',
        message: 'The server’s answer could not be read.',
      };
}
