import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pullXporter } from './client.ts';
import { createXodTokenCache } from './tokens.ts';
import type { XodConfig, XodPullResult } from './types.ts';
import {
  CHANGED_ROWS,
  GROUPS,
  NEXT_CHANGED_ROWS,
  SCHOOL_INFO,
  STAFF,
  STUDENT_CONTACTS,
  STUDENT_MEMBERS,
  STUDENTS,
  CONTACTS,
  xodStandInData,
} from '../../../test/xod-fixtures.ts';
import { startXodStandIn, type XodStandIn } from '../../../test/xod-standin.ts';

let standIn: XodStandIn;

beforeEach(async () => {
  standIn = await startXodStandIn(xodStandInData());
});
afterEach(async () => {
  await standIn.close();
});

function configFor(server: XodStandIn, overrides: Partial<XodConfig> = {}): XodConfig {
  return {
    baseUrl: server.baseUrl,
    tokenUrl: server.tokenUrl,
    estab: '3281101',
    relyingParty: 'relying-party.com',
    secret: 'secret',
    pageSize: 2,
    ...overrides,
  };
}

const tokenRequests = (): string[] => standIn.requests.filter((r) => r.startsWith('POST /idaas/'));
const requestsFor = (endpoint: string): string[] =>
  standIn.requests.filter((r) => r.startsWith(`GET /api/v1/School/3281101/${endpoint}/`));

function expectOk(result: XodPullResult): Extract<XodPullResult, { ok: true }> {
  if (!result.ok) throw new Error(`pull failed: ${result.error.code}: ${result.error.message}`);
  return result;
}

function expectError(result: XodPullResult): Extract<XodPullResult, { ok: false }>['error'] {
  if (result.ok) throw new Error('pull succeeded when it should have failed');
  return result.error;
}

const byId = (rows: readonly unknown[]): unknown[] =>
  [...rows].sort((a, b) => (a as { Id: string }).Id.localeCompare((b as { Id: string }).Id));

/** Wraps the real fetch so a test can read or rewrite one endpoint's replies. */
function fetchRewriting(matches: string, rewrite: (response: Response) => Promise<Response>): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return url.includes(matches) ? rewrite(response) : response;
  };
}

describe('full pull', () => {
  it('pages every dataset and concatenates the records exactly as sent', async () => {
    const { payload, nextChangedRows } = expectOk(await pullXporter(configFor(standIn)));

    // 5 students at pageSize 2: three pages, in order.
    expect(payload.Students).toEqual(STUDENTS);
    expect(requestsFor('Students')).toEqual(
      [1, 2, 3].map((p) => `GET /api/v1/School/3281101/Students/?page=${p}&pageSize=2`),
    );
    expect(payload.SchoolInfo).toEqual(SCHOOL_INFO);
    expect(payload.Contacts).toEqual(CONTACTS);
    expect(payload.StudentContacts).toEqual(STUDENT_CONTACTS);
    expect(payload.Group).toEqual(GROUPS);
    expect(payload.Staff).toEqual(STAFF);
    // The stand-in only sends members when asked with the documented option name.
    expect(byId(payload.StudentMembers)).toEqual(byId(STUDENT_MEMBERS));
    expect(requestsFor('Groups').every((r) => r.includes('options=includeStudentMembers'))).toBe(true);

    expect(nextChangedRows).toBeNull();
    expect(Object.keys(payload).filter((k) => k.endsWith('_deleted') || k === '__changedRows__')).toEqual([]);
    // One token for all six endpoints.
    expect(tokenRequests()).toHaveLength(1);
  });

  it('stops at PageCount although the last page still offers a NextPage', async () => {
    const lastPages: unknown[] = [];
    const spyingFetch = fetchRewriting('/Students/?page=3&', async (response) => {
      lastPages.push(await response.clone().json());
      return response;
    });

    expectOk(await pullXporter(configFor(standIn), { fetch: spyingFetch }));

    expect(lastPages).toMatchObject([
      { __pagination__: [{ PageNumber: 3, PageCount: 3, NextPage: '?page=4&pageSize=2' }] },
    ]);
    expect(standIn.requests.some((r) => r.includes('page=4'))).toBe(false);
  });

  it('uses pageSize 500 when none is configured', async () => {
    expectOk(await pullXporter(configFor(standIn, { pageSize: undefined })));
    expect(requestsFor('Students')).toEqual(['GET /api/v1/School/3281101/Students/?page=1&pageSize=500']);
  });
});

describe('changesets', () => {
  it('sends changedRows, collects the _deleted lists and returns NextChangedRows', async () => {
    const { payload, nextChangedRows } = expectOk(
      await pullXporter(configFor(standIn), { changedRows: CHANGED_ROWS }),
    );

    const delta = xodStandInData().delta;
    expect(payload.Students).toEqual(delta?.changed.Students);
    expect(payload.Students_deleted).toEqual([{ Id: '3221' }, { Id: '3920' }]);
    expect(payload.StudentMembers_deleted).toEqual([{ Id: 'GR-180.PL-3221' }]);
    expect(payload.Staff_deleted).toEqual([]);
    expect(payload.Contacts).toEqual([]);
    expect(nextChangedRows).toBe(NEXT_CHANGED_ROWS);
    expect(payload.__changedRows__).toHaveLength(6);
    const dataRequests = standIn.requests.filter((r) => r.startsWith('GET '));
    expect(dataRequests.every((r) => r.includes(`changedRows=${CHANGED_ROWS}`))).toBe(true);
  });

  it("starts a baseline with changedRows '*': everything, plus the token for next time", async () => {
    const { payload, nextChangedRows } = expectOk(
      await pullXporter(configFor(standIn), { changedRows: '*' }),
    );
    expect(payload.Students).toEqual(STUDENTS);
    expect(payload.Students_deleted).toEqual([]);
    expect(nextChangedRows).toBe(NEXT_CHANGED_ROWS);
  });

  it('gives no NextChangedRows when the endpoints disagree on it', async () => {
    const tampering = fetchRewriting('/Staff/', async (response) => {
      const body = (await response.json()) as { __changedRows__: { NextChangedRows: string }[] };
      body.__changedRows__ = body.__changedRows__.map((entry) => ({ ...entry, NextChangedRows: 'other' }));
      return Response.json(body);
    });
    const result = expectOk(
      await pullXporter(configFor(standIn), { changedRows: CHANGED_ROWS, fetch: tampering }),
    );
    expect(result.nextChangedRows).toBeNull();
  });
});

describe('tokens', () => {
  it('posts the recorded body and reuses the cached token until shortly before it expires', async () => {
    standIn.setBehaviour({ tokenExpires: '2030-01-01T00:00:00.0000000Z' });
    const tokenCache = createXodTokenCache();
    const config = configFor(standIn);

    expectOk(await pullXporter(config, { tokenCache, now: () => new Date('2029-12-01T00:00:00Z') }));
    expectOk(await pullXporter(config, { tokenCache, now: () => new Date('2029-12-31T23:50:00Z') }));
    expect(tokenRequests()).toHaveLength(1);

    // Two minutes before expiry is too close to trust it for a whole pull.
    expectOk(await pullXporter(config, { tokenCache, now: () => new Date('2029-12-31T23:58:00Z') }));
    expect(tokenRequests()).toHaveLength(2);
  });

  it.each(['http-401', 'exception'] as const)(
    'fetches one new token and retries when a token is refused mid-pull (%s)',
    async (expiredTokenReply) => {
      const baseline = expectOk(await pullXporter(configFor(standIn)));
      const dataRequests = standIn.requests.length - 1;
      standIn.requests.length = 0;
      // The first token runs out one request before the end.
      standIn.setBehaviour({ tokenExpiresAfterRequests: dataRequests - 1, expiredTokenReply });

      const result = expectOk(await pullXporter(configFor(standIn)));

      expect(result.payload).toEqual(baseline.payload);
      expect(tokenRequests()).toHaveLength(2);
      const lastData = standIn.requests.filter((r) => r.startsWith('GET ')).slice(-2);
      expect(lastData[0]).toBe(lastData[1]);
    },
  );

  it('gives up with an auth error when a fresh token is refused too', async () => {
    standIn.setBehaviour({ tokenExpiresAfterRequests: 0 });
    const error = expectError(await pullXporter(configFor(standIn)));
    expect(error).toMatchObject({ code: 'auth', endpoint: 'SchoolInfo', status: 401 });
    expect(tokenRequests()).toHaveLength(2);
  });

  it('reports wrong credentials as auth without calling any endpoint', async () => {
    const error = expectError(await pullXporter(configFor(standIn, { secret: 'wrong' })));
    expect(error).toMatchObject({ code: 'auth', endpoint: 'token' });
    expect(error.message).toContain('3281101');
    expect(error.message).not.toContain('wrong');
    expect(standIn.requests.filter((r) => r.startsWith('GET '))).toEqual([]);
  });
});

describe('errors', () => {
  it('treats an HTTP 200 with an ExceptionMessage as a failure naming the endpoint', async () => {
    standIn.setBehaviour({ faults: { Contacts: { kind: 'exception' } } });
    const error = expectError(await pullXporter(configFor(standIn)));
    expect(error).toMatchObject({ code: 'exception', endpoint: 'Contacts', status: 200 });
    expect(error.message).toMatch(/Contacts.*Something went wrong/);
    // Nothing after the failing endpoint is fetched.
    expect(requestsFor('StudentContacts')).toEqual([]);
  });

  it('names the page when a later page fails', async () => {
    standIn.setBehaviour({
      faults: { Students: { kind: 'exception', message: 'Timeout expired', page: 2 } },
    });
    const error = expectError(await pullXporter(configFor(standIn)));
    expect(error.message).toContain('Students (page 2)');
  });

  it('reports a 500 as an http error', async () => {
    standIn.setBehaviour({ faults: { Groups: { kind: 'http', status: 500 } } });
    const error = expectError(await pullXporter(configFor(standIn)));
    expect(error).toMatchObject({ code: 'http', endpoint: 'Groups', status: 500 });
    expect(error.message).toContain('HTTP 500');
  });

  it('reports a refused connection as a network error', async () => {
    const config = configFor(standIn);
    await standIn.close();
    const error = expectError(await pullXporter(config));
    expect(error).toMatchObject({ code: 'network', endpoint: 'token' });
    expect(error.message).toContain('connection refused');
  });

  it('times out a response that never comes', async () => {
    standIn.setBehaviour({ faults: { Students: { kind: 'hang' } } });
    const started = Date.now();
    const error = expectError(await pullXporter(configFor(standIn), { timeoutMs: 300 }));
    expect(error).toMatchObject({ code: 'network', endpoint: 'Students' });
    expect(error.message).toContain('did not answer within 0.3 seconds');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a body that is not JSON as an invalid response', async () => {
    standIn.setBehaviour({ faults: { Staff: { kind: 'invalid-json' } } });
    const error = expectError(await pullXporter(configFor(standIn)));
    expect(error).toMatchObject({ code: 'invalid-response', endpoint: 'Staff' });
  });

  it('refuses a response without its result set rather than treat it as empty', async () => {
    const dropStudents = fetchRewriting('/Students/', async (response) => {
      const body = (await response.json()) as Record<string, unknown>;
      delete body['Students'];
      return Response.json(body);
    });
    const error = expectError(await pullXporter(configFor(standIn), { fetch: dropStudents }));
    expect(error).toMatchObject({ code: 'invalid-response', endpoint: 'Students' });
  });
});

describe('paging guards', () => {
  it('fails when PageCount changes mid-way', async () => {
    standIn.setBehaviour({ growPageCountAfterPage: 1 });
    const error = expectError(await pullXporter(configFor(standIn)));
    // SchoolInfo fits on one page; Students is the first endpoint with a second page.
    expect(error).toMatchObject({ code: 'paging', endpoint: 'Students' });
    expect(error.message).toContain('from 3 to 4');
  });

  it('refuses a PageCount beyond the page limit before fetching a second page', async () => {
    standIn.setBehaviour({ claimPageCount: 20_000 });
    const error = expectError(await pullXporter(configFor(standIn)));
    expect(error).toMatchObject({ code: 'paging', endpoint: 'SchoolInfo' });
    expect(requestsFor('SchoolInfo')).toHaveLength(1);
  });

  it('honours a lower maxPages', async () => {
    standIn.setBehaviour({ claimPageCount: 3 });
    expectOk(await pullXporter(configFor(standIn), { maxPages: 3 }));
    expect(requestsFor('SchoolInfo')).toHaveLength(3);

    standIn.requests.length = 0;
    const error = expectError(await pullXporter(configFor(standIn), { maxPages: 2 }));
    expect(error.code).toBe('paging');
    expect(requestsFor('SchoolInfo')).toHaveLength(1);
  });
});
