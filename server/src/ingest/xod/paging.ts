/**
 * Paging through one endpoint: `__pagination__` whose NextPage never goes null, so PageCount decides
 * the end; a page count that changes mid-way abandons the pull rather than stitch two snapshots.
 */
import { readPagination, type Pagination } from '../xporter/pagination.ts';
import { getAuthorised, type AuthorisedContext } from './authorised.ts';
import {
  fail,
  invalidResponse,
  isJsonObject,
  type JsonObject,
  type Outcome,
  type XodConfig,
  type XodDataset,
  type XodDeletedKey,
  type XodError,
  type XporterPayload,
} from './types.ts';

export interface SetSpec {
  key: XodDataset;
  /** Response keys accepted for this set; the docs name StudentContacts both ways. */
  responseKeys: readonly string[];
}

export interface EndpointSpec {
  endpoint: string;
  /** XoD takes options as one csv parameter. */
  options?: string;
  sets: readonly SetSpec[];
}

export const ENDPOINTS: readonly EndpointSpec[] = [
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

export interface PullContext extends AuthorisedContext {
  readonly config: XodConfig;
  readonly maxPages: number;
  readonly pageSize: number;
  readonly changedRows: string | null;
}

/** Pulls every page of one endpoint into `payload`; returns its last `__changedRows__` entry. */
export async function pullEndpoint(
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
