/** One HTTP exchange with XoD or its sign-in service, and the words for what went wrong. */
import { isJsonObject, type XodError } from './types.ts';

export type SendResult =
  | { ok: true; status: number; /** Parsed body; undefined when it is not JSON. */ json: unknown }
  | { ok: false; failure: TransportFailure };

export type TransportFailure =
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'not-json'; status: number };

/** One HTTP exchange, with a deadline that covers the headers and the body. */
export async function send(
  fetchImpl: typeof fetch,
  timeoutMs: number,
  url: string,
  init: RequestInit,
): Promise<SendResult> {
  let status: number;
  let text: string;
  try {
    const response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') {
      return { ok: false, failure: { kind: 'timeout', timeoutMs } };
    }
    return { ok: false, failure: { kind: 'unreachable', reason: networkReason(error) } };
  }
  const json = parseJson(text);
  // A 2xx that is not JSON is a broken reply; a non-2xx is reported by its status instead.
  if (json === undefined && isSuccess(status)) return { ok: false, failure: { kind: 'not-json', status } };
  return { ok: true, status, json };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function transportError(
  failure: TransportFailure,
  url: string,
  endpoint: string,
  where: string,
): XodError {
  const host = hostOf(url);
  switch (failure.kind) {
    case 'timeout': {
      const seconds = Math.round(failure.timeoutMs / 100) / 10;
      return {
        code: 'network',
        endpoint,
        message: `${host} did not answer within ${seconds} seconds while fetching ${where}. Try again later.`,
      };
    }
    case 'unreachable':
      return {
        code: 'network',
        endpoint,
        message: `Could not reach ${host} while fetching ${where} (${failure.reason}). Check the internet connection.`,
      };
    case 'not-json':
      return {
        code: 'invalid-response',
        endpoint,
        status: failure.status,
        message: `${host} sent a reply that is not JSON for ${where}. Try again later.`,
      };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'Xporter on Demand';
  }
}

/** Node's fetch hides the socket error in `cause`; its code tells "refused" from "unknown host". */
function networkReason(error: unknown): string {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'server name not found';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection dropped';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connection timed out';
    default:
      if (cause instanceof Error) return cause.message;
      return error instanceof Error ? error.message : String(error);
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The envelope's ExceptionMessage, else Message (XoD uses both); null when neither is set. */
export function exceptionText(json: unknown): string | null {
  if (!isJsonObject(json)) return null;
  for (const key of ['ExceptionMessage', 'Message']) {
    const value = json[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}
