/**
 * Pull client for Groupcall Xporter on Demand (XoD). It fetches the roster endpoints page by page and
 * hands back the records exactly as XoD sent them; validation and mapping happen elsewhere.
 *
 * Shapes follow the recorded samples described in the XoD mapping spec: a token from IDaaS
 * (`token` + absolute `expires`), `Authorization: Idaas <token>`, `__pagination__` whose NextPage
 * never goes null, `<Set>_deleted` + `__changedRows__` in changesets, and errors that may arrive as
 * HTTP 200 with an `ExceptionMessage`.
 */
import { readPagination, type Pagination } from '../xporter/pagination.ts';

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

export function createXodTokenCache(): XodTokenCache {
  return { entry: null };
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

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PAGES = 10_000;
/** Refresh this long before `expires`, so a token does not lapse between check and use. */
const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;
const THIRD_PARTY_ID = 'XporterOnDemand';

interface SetSpec {
  key: XodDataset;
  /** Response keys accepted for this set; the docs name StudentContacts both ways. */
  responseKeys: readonly string[];
}

interface EndpointSpec {
  endpoint: string;
  /** XoD takes options as one csv parameter. */
  options?: string;
  sets: readonly SetSpec[];
}

const ENDPOINTS: readonly EndpointSpec[] = [
  { endpoint: 'SchoolInfo', sets: [{ key: 'SchoolInfo', responseKeys: ['SchoolInfo'] }] },
  { endpoint: 'Students', sets: [{ key: 'Students', responseKeys: ['Students'] }] },
  { endpoint: 'Contacts', sets: [{ key: 'Contacts', responseKeys: ['Contacts'] }] },
  {
    endpoint: 'StudentContacts',
    sets: [{ key: 'StudentContacts', responseKeys: ['StudentContacts', 'StudentContact'] }],
  },
  {
    endpoint: 'Groups',
    options: 'includeStudentMembers',
    sets: [
      { key: 'Group', responseKeys: ['Group'] },
      { key: 'StudentMembers', responseKeys: ['StudentMembers'] },
    ],
  },
  { endpoint: 'Staff', sets: [{ key: 'Staff', responseKeys: ['Staff'] }] },
];

type Outcome<T> = { ok: true; value: T } | { ok: false; error: XodError };

const fail = (error: XodError): { ok: false; error: XodError } => ({ ok: false, error });

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface PullContext {
  readonly config: XodConfig;
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  readonly timeoutMs: number;
  readonly maxPages: number;
  readonly pageSize: number;
  readonly changedRows: string | null;
  readonly tokens: TokenSource;
}

export async function pullXporter(config: XodConfig, options: XodPullOptions = {}): Promise<XodPullResult> {
  const pageSize = config.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new RangeError(`XoD pageSize must be a positive whole number, got ${pageSize}`);
  }
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? ((): Date => new Date());
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ctx: PullContext = {
    config,
    fetch: fetchImpl,
    now,
    timeoutMs,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    pageSize,
    changedRows: options.changedRows ?? null,
    tokens: tokenSource(config, fetchImpl, now, timeoutMs, options.tokenCache ?? createXodTokenCache()),
  };

  const payload = emptyPayload();
  const changedRowsEntries: JsonObject[] = [];
  // Endpoints one after another: XoD is a shared service, and a school's roster is small.
  for (const spec of ENDPOINTS) {
    const pulled = await pullEndpoint(ctx, spec, payload);
    if (!pulled.ok) return pulled;
    if (pulled.value !== null) changedRowsEntries.push(pulled.value);
  }
  if (changedRowsEntries.length > 0) payload.__changedRows__ = changedRowsEntries;
  return { ok: true, payload, nextChangedRows: agreedNextChangedRows(changedRowsEntries) };
}

function emptyPayload(): XporterPayload {
  return {
    SchoolInfo: [],
    Students: [],
    Contacts: [],
    StudentContacts: [],
    Group: [],
    StudentMembers: [],
    Staff: [],
  };
}

/**
 * One token must serve the next pull for every endpoint, so it is only trusted when every endpoint
 * reported the same one. Otherwise null: the next pull is a full one, which is always correct.
 */
function agreedNextChangedRows(entries: readonly JsonObject[]): string | null {
  if (entries.length !== ENDPOINTS.length) return null;
  const tokens = new Set(entries.map((entry) => entry['NextChangedRows']));
  const [only] = tokens;
  return tokens.size === 1 && typeof only === 'string' && only !== '' ? only : null;
}

// ---------------------------------------------------------------------------------------------
// Paging

/** Pulls every page of one endpoint into `payload`; returns its last `__changedRows__` entry. */
async function pullEndpoint(
  ctx: PullContext,
  spec: EndpointSpec,
  payload: XporterPayload,
): Promise<Outcome<JsonObject | null>> {
  let expectedPageCount: number | null = null;
  let changedRowsEntry: JsonObject | null = null;

  for (let page = 1; page <= ctx.maxPages; page++) {
    const where = page === 1 ? spec.endpoint : `${spec.endpoint} (page ${page})`;
    const body = await getAuthorised(ctx, pageUrl(ctx, spec, page), spec.endpoint, where);
    if (!body.ok) return body;

    const collected = collectSets(ctx, spec, body.value, payload, where);
    if (!collected.ok) return collected;
    changedRowsEntry = readChangedRows(body.value) ?? changedRowsEntry;

    const pagination = pageInfo(body.value, spec.endpoint, where);
    if (!pagination.ok) return pagination;
    // No block at all means XoD sent everything in one response (the recorded changeset does this).
    if (pagination.value === null) {
      if (page === 1) return { ok: true, value: changedRowsEntry };
      return fail(pagingError(spec.endpoint, `stopped sending page information at page ${page}`));
    }
    const { pageNumber, pageCount } = pagination.value;
    if (pageNumber !== page) {
      return fail(pagingError(spec.endpoint, `sent page ${pageNumber} when page ${page} was asked for`));
    }
    if (expectedPageCount === null) {
      expectedPageCount = pageCount;
      if (pageCount > ctx.maxPages) {
        return fail(
          pagingError(spec.endpoint, `claims ${pageCount} pages, more than the ${ctx.maxPages} allowed`),
        );
      }
    } else if (pageCount !== expectedPageCount) {
      // The data changed under us; stitching pages from two snapshots could lose or repeat rows.
      return fail(
        pagingError(
          spec.endpoint,
          `changed its page count from ${expectedPageCount} to ${pageCount} mid-way`,
        ),
      );
    }
    // NextPage is set even on the last page (it points past the end), so PageCount decides.
    if (pageNumber >= pageCount) return { ok: true, value: changedRowsEntry };
  }
  return fail(pagingError(spec.endpoint, `did not finish within ${ctx.maxPages} pages`));
}

function pagingError(endpoint: string, what: string): XodError {
  return {
    code: 'paging',
    endpoint,
    message: `Xporter on Demand's ${endpoint} list ${what}. This sync was abandoned; try again later.`,
  };
}

function pageUrl(ctx: PullContext, spec: EndpointSpec, page: number): string {
  const base = ctx.config.baseUrl.replace(/\/+$/, '');
  const path = `/api/v1/School/${encodeURIComponent(ctx.config.estab)}/${spec.endpoint}/`;
  const query = new URLSearchParams({ page: String(page), pageSize: String(ctx.pageSize) });
  if (spec.options !== undefined) query.set('options', spec.options);
  if (ctx.changedRows !== null) query.set('changedRows', ctx.changedRows);
  return `${base}${path}?${query.toString()}`;
}

/** This page's `__pagination__` block, read by the one strict reader the push route uses too. */
function pageInfo(body: JsonObject, endpoint: string, where: string): Outcome<Pagination | null> {
  const read = readPagination(body['__pagination__']);
  return read.ok ? { ok: true, value: read.value } : fail(invalidResponse(endpoint, where, read.problem));
}

function readChangedRows(body: JsonObject): JsonObject | null {
  const raw = body['__changedRows__'];
  const entry: unknown = Array.isArray(raw) ? raw[0] : raw;
  return isJsonObject(entry) ? entry : null;
}

/**
 * Appends this page's rows to the payload. A missing result set is an error, not an empty list:
 * treating it as empty would make a full pull look like every pupil had left.
 */
function collectSets(
  ctx: PullContext,
  spec: EndpointSpec,
  body: JsonObject,
  payload: XporterPayload,
  where: string,
): Outcome<null> {
  for (const set of spec.sets) {
    const rows = firstArray(body, set.responseKeys);
    if (rows === undefined) {
      return fail(invalidResponse(spec.endpoint, where, `no "${set.key}" list`));
    }
    append(payload[set.key], rows);

    if (ctx.changedRows === null) continue;
    const deleted = firstArray(
      body,
      set.responseKeys.map((key) => `${key}_deleted`),
    );
    if (deleted !== undefined) {
      const deletedKey: XodDeletedKey = `${set.key}_deleted`;
      const list = payload[deletedKey] ?? [];
      append(list, deleted);
      payload[deletedKey] = list;
    }
  }
  return { ok: true, value: null };
}

function firstArray(body: JsonObject, keys: readonly string[]): unknown[] | undefined {
  for (const key of keys) {
    const value = body[key];
    if (Array.isArray(value)) return value as unknown[];
  }
  return undefined;
}

/** A loop, not push(...rows): spreading a very large page can overflow the call stack. */
function append(target: unknown[], rows: readonly unknown[]): void {
  for (const row of rows) target.push(row);
}

function invalidResponse(endpoint: string, where: string, what: string): XodError {
  return {
    code: 'invalid-response',
    endpoint,
    message: `Xporter on Demand sent ${what} for ${where}. This sync was abandoned; try again later.`,
  };
}

// ---------------------------------------------------------------------------------------------
// Authorised requests

/** GET with the token; on a 401 or an expired-token exception, one fresh token and one retry. */
async function getAuthorised(
  ctx: PullContext,
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

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

/** The envelope's ExceptionMessage, else Message (XoD uses both); null when neither is set. */
function exceptionText(json: unknown): string | null {
  if (!isJsonObject(json)) return null;
  for (const key of ['ExceptionMessage', 'Message']) {
    const value = json[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return null;
}

/** The exact wording is unrecorded, so any exception about a token being expired or invalid counts. */
function isExpiredTokenException(json: unknown): boolean {
  const text = exceptionText(json);
  return text !== null && /token/i.test(text) && /expired|invalid|not valid/i.test(text);
}

// ---------------------------------------------------------------------------------------------
// Tokens

interface TokenSource {
  current(): Promise<Outcome<string>>;
  /** Forget the cached token, after XoD rejected it. */
  discard(): void;
}

function tokenSource(
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

// ---------------------------------------------------------------------------------------------
// Transport

type SendResult =
  | { ok: true; status: number; /** Parsed body; undefined when it is not JSON. */ json: unknown }
  | { ok: false; failure: TransportFailure };

type TransportFailure =
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'unreachable'; reason: string }
  | { kind: 'not-json'; status: number };

/** One HTTP exchange, with a deadline that covers the headers and the body. */
async function send(
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

function transportError(failure: TransportFailure, url: string, endpoint: string, where: string): XodError {
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
