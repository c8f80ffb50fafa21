/**
 * Pull client for Groupcall Xporter on Demand (XoD). It fetches the roster endpoints page by page and
 * hands back the records exactly as XoD sent them; validation and mapping happen elsewhere.
 *
 * Shapes follow the recorded samples described in the XoD mapping spec: a token from IDaaS
 * (`token` + absolute `expires`), `Authorization: Idaas <token>`, `__pagination__` whose NextPage
 * never goes null, `<Set>_deleted` + `__changedRows__` in changesets, and errors that may arrive as
 * HTTP 200 with an `ExceptionMessage`.
 */
import { ENDPOINTS, pullEndpoint, type PullContext } from './paging.ts';
import { createXodTokenCache, tokenSource } from './tokens.ts';
import {
  XOD_DATASETS,
  type JsonObject,
  type XodConfig,
  type XodPullOptions,
  type XodPullResult,
  type XporterPayload,
} from './types.ts';

const DEFAULT_PAGE_SIZE = 500;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_PAGES = 10_000;

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
  // Built from the one dataset list, so a new dataset cannot be forgotten here.
  return Object.fromEntries(XOD_DATASETS.map((dataset) => [dataset, []])) as unknown as XporterPayload;
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
