/*
 * XoD's `__pagination__` block: a one-element list in every sample (a bare object is accepted
 * too) with PageNumber, PageCount and RowCount. Read one way, strictly, by the pull client and by
 * the push route alike: a block that is there but unreadable is an error, never "one page".
 */

export interface Pagination {
  readonly pageNumber: number;
  readonly pageCount: number;
  /** Rows in the whole answer, across its pages, when XoD says. */
  readonly rowCount: number | null;
}

export type PaginationRead =
  { readonly ok: true; readonly value: Pagination | null } | { readonly ok: false; readonly problem: string };

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

export function readPagination(raw: unknown): PaginationRead {
  if (raw === undefined || raw === null) return { ok: true, value: null };
  const block: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (typeof block !== 'object' || block === null || Array.isArray(block))
    return { ok: false, problem: 'unreadable page information' };
  const {
    PageNumber: pageNumber,
    PageCount: pageCount,
    RowCount: rowCount,
  } = block as Record<string, unknown>;
  if (!isCount(pageNumber) || !isCount(pageCount))
    return { ok: false, problem: 'page information without a whole-number PageNumber and PageCount' };
  return { ok: true, value: { pageNumber, pageCount, rowCount: isCount(rowCount) ? rowCount : null } };
}
