/**
 * A stand-in Xporter on Demand server for tests: real HTTP on 127.0.0.1, answering the way the
 * recorded samples do (token endpoint, `Idaas` auth, `__pagination__` whose NextPage never goes
 * null, changesets with `<Set>_deleted` and `__changedRows__`, HTTP-200 error envelopes), with
 * switches for the failures a pull must survive or report.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { XodDataset } from '../src/ingest/xod/types.ts';

/** error_response.json: recorded with HTTP 200. */
export const XOD_ERROR_ENVELOPE = {
  Message: null,
  ExceptionType: null,
  ExceptionMessage: 'Something went wrong',
  InnerException: null,
} as const;

/** The `meta` row of a first page (groups.json); later pages and changesets carry `meta: []`. */
export const XOD_META: XodRecord = {
  Id: 1,
  MIS: 'simsnet',
  Version: '4',
  DateTime: '2018-06-20T02:25:06.223',
};

export type XodRecord = Readonly<Record<string, unknown>>;

export interface StandInData {
  estab: string;
  relyingParty: string;
  secret: string;
  datasets: Readonly<Record<XodDataset, readonly XodRecord[]>>;
  /** The one changeset the stand-in knows: asked for with `changedRows`, answered with `nextChangedRows`. */
  delta?: StandInDelta;
}

export interface StandInDelta {
  changedRows: string;
  nextChangedRows: string;
  changed: Partial<Record<XodDataset, readonly XodRecord[]>>;
  deleted: Partial<Record<XodDataset, readonly XodRecord[]>>;
}

/** A failure on one endpoint, on every page or only on `page`. */
export type StandInFault =
  | { kind: 'exception'; message?: string; page?: number }
  | { kind: 'http'; status: number; page?: number }
  | { kind: 'hang'; page?: number }
  | { kind: 'invalid-json'; page?: number };

export interface StandInBehaviour {
  /** Each token serves this many data requests and is refused after that; null: never. */
  tokenExpiresAfterRequests: number | null;
  /** How a refused token is reported: a 401, or an HTTP 200 envelope whose ExceptionMessage says so. */
  expiredTokenReply: 'http-401' | 'exception';
  /** The `expires` sent with new tokens; null: five days after issue, as recorded. */
  tokenExpires: string | null;
  /** Keyed by endpoint name (`Students`, `Groups`, ...) or `token`. */
  faults: Readonly<Record<string, StandInFault>>;
  /** Report this PageCount whatever the data (a server that claims never to end). */
  claimPageCount: number | null;
  /** From the page after this one, report one page more than before (the data changed mid-pull). */
  growPageCountAfterPage: number | null;
}

export interface XodStandIn {
  baseUrl: string;
  tokenUrl: string;
  /** `METHOD /path?query` of every request, in arrival order. */
  requests: string[];
  setBehaviour(behaviour: Partial<StandInBehaviour>): void;
  close(): Promise<void>;
}

const TOKEN_PATH = '/idaas/sts/STS/GetToken';
const DATA_PATH = /^\/api\/v1\/School\/([^/]+)\/([^/]+)\/?$/;
const DEFAULT_TOKEN_LIFETIME_MS = 5 * 24 * 60 * 60_000;
const DENIED = { Message: 'Authorization has been denied for this request.' };

const DEFAULT_BEHAVIOUR: StandInBehaviour = {
  tokenExpiresAfterRequests: null,
  expiredTokenReply: 'http-401',
  tokenExpires: null,
  faults: {},
  claimPageCount: null,
  growPageCountAfterPage: null,
};

/** Endpoint → result sets, as the samples show them (Groups answers with `Group`). */
interface ServedEndpoint {
  primary: XodDataset;
  /** Only with `options=includeStudentMembers`; otherwise an empty list, as recorded. */
  members?: XodDataset;
  /** Sets XoD always sends, empty here. */
  alwaysEmpty: readonly string[];
}

const SERVED: Readonly<Record<string, ServedEndpoint>> = {
  SchoolInfo: { primary: 'SchoolInfo', alwaysEmpty: [] },
  Students: { primary: 'Students', alwaysEmpty: ['StudentSiblings'] },
  Contacts: { primary: 'Contacts', alwaysEmpty: [] },
  StudentContacts: { primary: 'StudentContacts', alwaysEmpty: [] },
  Groups: { primary: 'Group', members: 'StudentMembers', alwaysEmpty: ['StaffMembers', 'GroupTypes'] },
  Staff: { primary: 'Staff', alwaysEmpty: [] },
};

interface StandInState {
  readonly data: StandInData;
  behaviour: StandInBehaviour;
  readonly requests: string[];
  /** Issued token → data requests it has served. */
  readonly tokens: Map<string, number>;
}

export async function startXodStandIn(
  data: StandInData,
  behaviour: Partial<StandInBehaviour> = {},
): Promise<XodStandIn> {
  const state: StandInState = {
    data,
    behaviour: { ...DEFAULT_BEHAVIOUR, ...behaviour },
    requests: [],
    tokens: new Map(),
  };
  const server = createServer((req, res) => {
    handle(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { Message: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    tokenUrl: `${baseUrl}${TOKEN_PATH}`,
    requests: state.requests,
    setBehaviour(next) {
      state.behaviour = { ...state.behaviour, ...next };
    },
    close() {
      // Hanging responses would keep close() waiting for ever, so drop every socket first.
      server.closeAllConnections();
      return new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

async function handle(state: StandInState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  state.requests.push(`${req.method ?? 'GET'} ${url.pathname}${url.search}`);

  if (url.pathname === TOKEN_PATH) {
    await handleToken(state, req, res);
    return;
  }
  const match = DATA_PATH.exec(url.pathname);
  const served = match?.[2] === undefined ? undefined : SERVED[match[2]];
  if (match === null || served === undefined || req.method !== 'GET') {
    sendJson(res, 404, { Message: 'No HTTP resource was found that matches the request URI.' });
    return;
  }
  const endpoint = match[2] ?? '';
  if (!authorise(state, req, res)) return;
  if (match[1] !== state.data.estab) {
    sendJson(res, 403, {
      ...XOD_ERROR_ENVELOPE,
      ExceptionMessage: `Not authorised for estab ${match[1] ?? ''}`,
    });
    return;
  }
  const page = positiveInt(url.searchParams.get('page')) ?? 1;
  if (applyFault(state.behaviour.faults[endpoint], page, res)) return;

  const changedRows = url.searchParams.get('changedRows');
  const mode = changesetMode(state.data, changedRows);
  if (mode === 'unknown') {
    sendJson(res, 200, {
      ...XOD_ERROR_ENVELOPE,
      ExceptionMessage: `Unknown changedRows value ${changedRows ?? ''}`,
    });
    return;
  }
  sendJson(res, 200, datasetBody(state, served, mode, url.searchParams, page));
}

// ---------------------------------------------------------------------------------------------
// Tokens

async function handleToken(state: StandInState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    sendJson(res, 405, { Message: 'The requested resource does not support this method.' });
    return;
  }
  const body = parseJsonObject(await readBody(req));
  if (applyFault(state.behaviour.faults['token'], 1, res)) return;
  const { data } = state;
  const valid =
    body !== null &&
    body['relyingParty'] === data.relyingParty &&
    body['thirdPartyId'] === 'XporterOnDemand' &&
    body['estab'] === data.estab &&
    body['password'] === data.secret;
  if (!valid) {
    sendJson(res, 401, {
      Message: null,
      ExceptionMessage: 'Invalid credentials',
      token: null,
      expires: null,
    });
    return;
  }
  const token = `standin-token-${state.tokens.size + 1}-${Math.random().toString(36).slice(2)}`;
  state.tokens.set(token, 0);
  sendJson(res, 200, {
    Message: null,
    ExceptionMessage: null,
    token,
    expires: state.behaviour.tokenExpires ?? sevenDigitIso(Date.now() + DEFAULT_TOKEN_LIFETIME_MS),
  });
}

/** IDaaS writes a 7-digit fraction: 2018-06-24T18:55:26.1852229Z. */
function sevenDigitIso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** Checks `Authorization: Idaas <token>` and counts the use; answers the refusal itself. */
function authorise(state: StandInState, req: IncomingMessage, res: ServerResponse): boolean {
  const match = /^Idaas (\S+)$/.exec(req.headers.authorization ?? '');
  const token = match?.[1];
  const uses = token === undefined ? undefined : state.tokens.get(token);
  if (token === undefined || uses === undefined) {
    sendJson(res, 401, DENIED);
    return false;
  }
  const limit = state.behaviour.tokenExpiresAfterRequests;
  if (limit !== null && uses >= limit) {
    if (state.behaviour.expiredTokenReply === 'http-401') sendJson(res, 401, DENIED);
    else sendJson(res, 200, { ...XOD_ERROR_ENVELOPE, ExceptionMessage: 'The token has expired.' });
    return false;
  }
  state.tokens.set(token, uses + 1);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Datasets

type ChangesetMode = 'full' | 'baseline' | 'delta' | 'unknown';

/** `*` starts a changeset (everything plus a token); the known token gives the delta. */
function changesetMode(data: StandInData, changedRows: string | null): ChangesetMode {
  if (changedRows === null) return 'full';
  if (changedRows === '*') return 'baseline';
  return changedRows === data.delta?.changedRows ? 'delta' : 'unknown';
}

function datasetBody(
  state: StandInState,
  served: ServedEndpoint,
  mode: Exclude<ChangesetMode, 'unknown'>,
  query: URLSearchParams,
  page: number,
): Record<string, unknown> {
  const { data, behaviour } = state;
  const rowsOf = (set: XodDataset): readonly XodRecord[] =>
    mode === 'delta' ? (data.delta?.changed[set] ?? []) : data.datasets[set];
  const pageSize = positiveInt(query.get('pageSize'));
  const allRows = rowsOf(served.primary);
  const pageRows = pageSize === null ? allRows : allRows.slice((page - 1) * pageSize, page * pageSize);

  const body: Record<string, unknown> = { [served.primary]: pageRows };
  const includeMembers = (query.get('options') ?? '').split(',').includes('includeStudentMembers');
  if (served.members !== undefined) {
    body[served.members] = includeMembers ? membersFor(rowsOf(served.members), pageRows, mode, page) : [];
  }
  for (const set of served.alwaysEmpty) body[set] = [];
  body['meta'] = page === 1 && mode !== 'delta' ? [XOD_META] : [];

  if (mode !== 'full') {
    const sets = [
      served.primary,
      ...(served.members === undefined ? [] : [served.members]),
      ...served.alwaysEmpty,
    ];
    for (const set of sets) {
      const deleted = data.delta?.deleted[set as XodDataset] ?? [];
      const wanted = set !== served.members || includeMembers;
      // Deletions ride on the first page only.
      body[`${set}_deleted`] = mode === 'delta' && page === 1 && wanted ? deleted : [];
    }
    body['__changedRows__'] = [changedRowsEntry(data, mode, pageSize)];
  }
  if (pageSize !== null) body['__pagination__'] = [pagination(behaviour, allRows.length, pageSize, page)];
  return body;
}

/** Full pulls: the members of the groups on this page. Changesets: every changed member, on page 1. */
function membersFor(
  members: readonly XodRecord[],
  groupsOnPage: readonly XodRecord[],
  mode: ChangesetMode,
  page: number,
): readonly XodRecord[] {
  if (mode === 'delta') return page === 1 ? members : [];
  const groupIds = new Set(groupsOnPage.map((group) => group['Id']));
  return members.filter((member) => groupIds.has(member['GroupId']));
}

function changedRowsEntry(data: StandInData, mode: ChangesetMode, pageSize: number | null): XodRecord {
  const requested = mode === 'delta' ? (data.delta?.changedRows ?? '') : '*';
  const next = data.delta?.nextChangedRows ?? 'standin-baseline';
  return {
    SnapshotDate: sevenDigitIso(Date.now()),
    SnapshotRP: data.relyingParty,
    PreviousChangedRows: '*',
    RequestedChangedRows: requested,
    NextChangedRows: next,
    NextUrl: `?changedRows=${next}&page=1${pageSize === null ? '' : `&pageSize=${pageSize}`}`,
  };
}

/** As recorded: NextPage points one past the current page even on the last page. */
function pagination(
  behaviour: StandInBehaviour,
  rowCount: number,
  pageSize: number,
  page: number,
): XodRecord {
  let pageCount = behaviour.claimPageCount ?? Math.ceil(rowCount / pageSize);
  const growAfter = behaviour.growPageCountAfterPage;
  if (growAfter !== null && page > growAfter) pageCount += 1;
  return {
    PageSize: pageSize,
    PageNumber: page,
    PageCount: pageCount,
    RowCount: rowCount,
    NextPage: `?page=${page + 1}&pageSize=${pageSize}`,
  };
}

// ---------------------------------------------------------------------------------------------
// Faults and plumbing

/** Answers with the fault if it applies to this page; true when the response is taken care of. */
function applyFault(fault: StandInFault | undefined, page: number, res: ServerResponse): boolean {
  if (fault === undefined || (fault.page !== undefined && fault.page !== page)) return false;
  switch (fault.kind) {
    case 'exception':
      // Recorded with HTTP 200 (error_response.json).
      sendJson(res, 200, {
        ...XOD_ERROR_ENVELOPE,
        ExceptionMessage: fault.message ?? XOD_ERROR_ENVELOPE.ExceptionMessage,
      });
      return true;
    case 'http':
      sendJson(res, fault.status, { Message: 'An error has occurred.' });
      return true;
    case 'invalid-json':
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html><body>Service Unavailable</body></html>');
      return true;
    case 'hang':
      // Never answer; close() drops the socket.
      return true;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function positiveInt(raw: string | null): number | null {
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return value >= 1 ? value : null;
}
