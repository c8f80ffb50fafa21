/** The pull client's shapes and the errors it reports, in sentences a school admin can act on. */

export interface XodConfig {
  /** e.g. https://xporter.groupcall.com */
  baseUrl: string;
  /** e.g. https://login.groupcall.com/idaas/sts/STS/GetToken */
  tokenUrl: string;
  estab: string;
  relyingParty: string;
  secret: string;
  pageSize?: number;
}

/** Result sets the pull collects, named as XoD names them (Groups answers with `Group`). */
export const XOD_DATASETS = [
  'SchoolInfo',
  'Students',
  'Contacts',
  'StudentContacts',
  'Group',
  'StudentMembers',
  'Staff',
] as const;
export type XodDataset = (typeof XOD_DATASETS)[number];
export type XodDeletedKey = `${XodDataset}_deleted`;

/** Records exactly as XoD returned them, concatenated over pages. Deleted lists only in a changeset pull. */
export type XporterPayload = { [K in XodDataset]: unknown[] } & { [K in XodDeletedKey]?: unknown[] } & {
  __changedRows__?: unknown[];
};

export interface XodError {
  code: 'auth' | 'http' | 'exception' | 'network' | 'invalid-response' | 'paging';
  /** A sentence a school admin can act on. */
  message: string;
  endpoint?: string;
  status?: number;
}

export type XodPullResult =
  { ok: true; payload: XporterPayload; nextChangedRows: string | null } | { ok: false; error: XodError };

export interface XodCachedToken {
  /** Which credentials the token belongs to, so one cache never leaks a token to another school. */
  key: string;
  token: string;
  /** Epoch ms from `expires`; null when XoD sent no readable expiry (then reuse until rejected). */
  expiresAt: number | null;
}

/** Holds the IDaaS token between pulls; the caller keeps it alive as long as it likes. */
export interface XodTokenCache {
  entry: XodCachedToken | null;
}

export interface XodPullOptions {
  fetch?: typeof fetch;
  /** A NextChangedRows from an earlier pull; `'*'` asks XoD to start a changeset baseline. */
  changedRows?: string | null;
  now?: () => Date;
  tokenCache?: XodTokenCache;
  /** Per HTTP request, including reading the body. */
  timeoutMs?: number;
  /** Upper bound on pages per endpoint, in case a server claims an absurd PageCount. */
  maxPages?: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: XodError };

export const fail = (error: XodError): { ok: false; error: XodError } => ({ ok: false, error });

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function invalidResponse(endpoint: string, where: string, what: string): XodError {
  return {
    code: 'invalid-response',
    endpoint,
    message: `Xporter on Demand sent ${what} for ${where}. This sync was abandoned; try again later.`,
  };
}
