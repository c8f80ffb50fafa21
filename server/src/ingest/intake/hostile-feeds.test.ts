import { serve, type ServerType } from '@hono/node-server';
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip, honestEntry, zerosEntry, zipOf } from '../../../test/zip-builder.ts';
import { oneRosterBundle } from '../../../test/oneroster-feeds.ts';
import { createApp } from '../../app.ts';
import { createSchool } from '../../db/school-store.ts';
import { tempDatabase } from '../../../test/temp-database.ts';
import { demoFeed } from '../../../test/ingest-fixture.ts';
import { rotateIngestKey } from '../core/keys.ts';
import { loadSample, SAMPLES } from '../../../test/oneroster-samples.ts';

/*
 * The push routes under hostile and broken input, through a real HTTP server in this process:
 * lying and honest zip bombs, damaged zips, huge feeds, bodies of every type that are empty or
 * malformed, 50 MB bodies. Each is answered with its status, changes nothing stored, is recorded
 * for sync health, and /api/health keeps answering within 200 ms while it is read.
 */

const NOW = new Date('2026-11-10T10:00:00Z');
const temp = tempDatabase();
const school = createSchool(temp.db, { name: 'Big Trust Academy', estab: '8012000' }, NOW);
const key = rotateIngestKey(temp.db, school.id, NOW);
const app = createApp({ db: temp.db, clock: () => NOW, log: () => undefined });
let server: ServerType;
let base = '';

beforeAll(async () => {
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
  temp.cleanup();
});

function push(
  route: 'xporter' | 'oneroster',
  body: BodyInit | Buffer | null,
  contentType?: string,
  withKey = key,
): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${withKey}` };
  if (contentType !== undefined) headers['content-type'] = contentType;
  const payload = Buffer.isBuffer(body) ? new Uint8Array(body) : body;
  return fetch(`${base}/api/mis/${route}`, { method: 'POST', body: payload, headers });
}

/** Everything the roster holds, as one digest: equal before and after means nothing changed. */
function rosterDigest(): string {
  const rows = temp.db
    .prepare('SELECT kind, mis_id, data FROM mis_records WHERE school_id = ? ORDER BY kind, mis_id')
    .all(school.id);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

const runCount = (outcome: string): number =>
  (
    temp.db
      .prepare('SELECT count(*) AS n FROM ingest_runs WHERE school_id = ? AND outcome = ?')
      .get(school.id, outcome) as { n: number }
  ).n;

/** Polls /api/health for as long as `work` runs; the slowest answer, and how many came. */
async function healthWhile<T>(work: Promise<T>): Promise<{ result: T; slowestMs: number; answers: number }> {
  let done = false;
  const finished = work.finally(() => {
    done = true;
  });
  let slowestMs = 0;
  let answers = 0;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by `finally` above
  while (!done) {
    const started = performance.now();
    const response = await fetch(`${base}/api/health`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    slowestMs = Math.max(slowestMs, performance.now() - started);
    answers++;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { result: await finished, slowestMs, answers };
}

interface Refusal {
  readonly status: number;
  readonly codes: readonly string[];
}

/** Send a body that must be refused: the answer, with the roster unchanged and the refusal recorded. */
async function refused(send: () => Promise<Response>): Promise<Refusal & { body: Record<string, unknown> }> {
  const before = rosterDigest();
  const recorded = runCount('rejected');
  const { result: response, slowestMs } = await healthWhile(send());
  const body = (await response.json()) as { error?: string; errors?: { code: string }[] };
  expect(rosterDigest()).toBe(before);
  expect(runCount('rejected')).toBe(recorded + 1);
  expect(slowestMs).toBeLessThan(200);
  return {
    status: response.status,
    codes: body.errors?.map((issue) => issue.code) ?? [body.error ?? ''],
    body,
  };
}

describe('zip bombs and damaged zips', { timeout: 30_000 }, () => {
  it('refuses a 1 MB zip whose entry claims 100 bytes but inflates to 1 GiB, stopping as it inflates', async () => {
    const bomb = buildZip([zerosEntry('users.csv', 1024, 100)]);
    expect(bomb.length).toBeLessThan(1_200_000);
    const answer = await refused(() => push('oneroster', bomb, 'application/zip'));
    expect(answer.status).toBe(422);
    expect(answer.codes).toEqual(['zip-damaged']);
  });

  it('refuses a zip that honestly says it unpacks to 1 GiB before inflating anything', async () => {
    const bomb = buildZip([{ ...zerosEntry('users.csv', 1024, 1024 * 1024 * 1024) }]);
    const answer = await refused(() => push('oneroster', bomb, 'application/zip'));
    expect(answer).toMatchObject({ status: 422, codes: ['zip-too-large'] });
  });

  it('refuses a bundle with one entry whose CRC-32 is wrong, naming that file', async () => {
    const files = loadSample(SAMPLES.v11Bulk);
    const entries = [...files].map(([name, text]) =>
      name === 'users.csv' ? { ...honestEntry(name, text), crc: 0x12345678 } : honestEntry(name, text),
    );
    const answer = await refused(() => push('oneroster', buildZip(entries), 'application/zip'));
    expect(answer).toMatchObject({ status: 422, codes: ['zip-damaged'] });
    expect(JSON.stringify(answer.body)).toContain('users.csv');
  });
});

describe('empty and malformed bodies of every content type', () => {
  const cases: readonly {
    readonly name: string;
    readonly route: 'xporter' | 'oneroster';
    readonly body: () => BodyInit | Buffer | null;
    readonly type?: string;
    readonly status: number;
    readonly code: string;
  }[] = [
    {
      name: 'empty JSON',
      route: 'xporter',
      body: () => '',
      type: 'application/json',
      status: 400,
      code: 'invalid-json',
    },
    {
      name: 'cut-short JSON',
      route: 'xporter',
      body: () => '{"Students": [',
      type: 'Application/JSON; charset=utf-8',
      status: 400,
      code: 'invalid-json',
    },
    {
      name: 'JSON that is not UTF-8',
      route: 'xporter',
      body: () => new Uint8Array([0x7b, 0xff, 0x7d]),
      type: 'application/json',
      status: 400,
      code: 'invalid-json',
    },
    {
      name: 'a JSON list',
      route: 'xporter',
      body: () => '[]',
      type: 'application/json',
      status: 422,
      code: 'not-an-object',
    },
    {
      name: 'CSV sent as XoD',
      route: 'xporter',
      body: () => 'a,b',
      type: 'text/csv',
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'XoD with no type',
      route: 'xporter',
      body: () => new Uint8Array([0x7b, 0x7d]),
      status: 415,
      code: 'unsupported-media-type',
    },
    {
      name: 'an empty zip body',
      route: 'oneroster',
      body: () => '',
      type: 'application/zip',
      status: 400,
      code: 'not-a-zip',
    },
    {
      name: 'a zip header and rubbish',
      route: 'oneroster',
      body: () => new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]),
      type: 'application/x-zip-compressed',
      status: 422,
      code: 'zip-unreadable',
    },
    {
      name: 'an empty archive',
      route: 'oneroster',
      body: () => buildZip([]),
      type: 'application/octet-stream',
      status: 422,
      code: 'missing-manifest',
    },
    {
      name: 'an empty form',
      route: 'oneroster',
      body: () => '',
      type: 'multipart/form-data; boundary=x',
      status: 400,
      code: 'unreadable-form',
    },
    {
      name: 'a form cut short',
      route: 'oneroster',
      body: () => '--x\r\nContent-Disposition: form-data; name="file"; filename="users.csv"\r\n\r\nabc',
      type: 'multipart/form-data; boundary=x',
      status: 400,
      code: 'unreadable-form',
    },
    {
      name: 'a form with no boundary',
      route: 'oneroster',
      body: () => '--x--\r\n',
      type: 'multipart/form-data',
      status: 400,
      code: 'unreadable-form',
    },
    {
      name: 'a form without files',
      route: 'oneroster',
      body: () => '--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nhello\r\n--x--\r\n',
      type: 'multipart/form-data; boundary=x',
      status: 400,
      code: 'no-files',
    },
    {
      name: 'a form holding one file twice',
      route: 'oneroster',
      body: () =>
        '--x\r\nContent-Disposition: form-data; name="file"; filename="users.csv"\r\n\r\nsourcedId\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="users.csv"\r\n\r\nsourcedId\r\n--x--\r\n',
      type: 'multipart/form-data; boundary=x',
      status: 422,
      code: 'duplicate-file',
    },
    {
      name: 'JSON sent as OneRoster',
      route: 'oneroster',
      body: () => '{}',
      type: 'application/json',
      status: 415,
      code: 'unsupported-media-type',
    },
  ];
  for (const each of cases) {
    it(`${each.route}: ${each.name} → ${each.status} ${each.code}`, async () => {
      const answer = await refused(() => push(each.route, each.body(), each.type));
      expect(answer.status).toBe(each.status);
      expect(answer.codes).toContain(each.code);
      expect(typeof answer.body.message).toBe('string');
    });
  }

  it('reads a zip by its bytes whichever zip type the browser names', async () => {
    const zip = zipOf(loadSample(SAMPLES.v12Delta));
    for (const type of ['application/x-zip-compressed', 'Application/Zip', 'application/octet-stream']) {
      const response = await push('oneroster', zip, type);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
  });
});

describe('50 MB bodies', () => {
  for (const [route, type] of [
    ['xporter', 'application/json'],
    ['oneroster', 'application/zip'],
    ['oneroster', 'multipart/form-data; boundary=x'],
  ] as const) {
    it(`${route} as ${type} → 413, nothing read`, async () => {
      const answer = await refused(() => push(route, new Uint8Array(50 * 1024 * 1024), type));
      expect(answer).toMatchObject({ status: 413, codes: ['too-large'] });
    });
  }
});

describe('a page of an XoD answer', () => {
  it('is refused alone, so the pupils on the other pages are not marked as left', async () => {
    const { payload } = demoFeed();
    const students = payload.Students ?? [];
    const page = {
      ...payload,
      Students: students.slice(0, 10),
      __pagination__: [{ PageSize: 10, PageNumber: 1, PageCount: 2, RowCount: 20 }],
    };
    const answer = await refused(() => push('xporter', JSON.stringify(page), 'application/json'));
    expect(answer).toMatchObject({ status: 422, codes: ['partial-page'] });
  });

  it('is refused when its page information cannot be read, rather than taken as the whole', async () => {
    const { payload } = demoFeed();
    const page = { ...payload, __pagination__: [{ PageNumber: '1', PageCount: '2' }] };
    const answer = await refused(() => push('xporter', JSON.stringify(page), 'application/json'));
    expect(answer).toMatchObject({ status: 422, codes: ['invalid-pagination'] });
  });
});

// Last: the roster it leaves behind makes every digest above slower.
describe('long feeds', { timeout: 60_000 }, () => {
  it('reads a 100,000-row OneRoster feed off the request thread, and folds its 50,000 warnings', async () => {
    // A school of its own: this feed is its first, whatever the tests above left in the other.
    const trust = createSchool(temp.db, { name: 'Big Trust Academy', estab: '8012001' }, NOW);
    const trustKey = rotateIngestKey(temp.db, trust.id, NOW);
    const zip = zipOf(oneRosterBundle({ pupils: 50_000, estab: '8012001', noisy: true }));
    const {
      result: response,
      slowestMs,
      answers,
    } = await healthWhile(push('oneroster', zip, 'application/zip', trustKey));
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(answers).toBeGreaterThan(5);
    expect(slowestMs).toBeLessThan(200);
    const body = JSON.parse(text) as {
      warnings: { code: string; message: string }[];
      byKind: { pupil: { added: number } };
    };
    expect(body.byKind.pupil.added).toBe(50_000);
    // Every pupil has two grades: 50,000 warnings, answered as a few examples and one count.
    expect(text.length).toBeLessThan(20_000);
    const grades = body.warnings.filter((warning) => warning.code === 'several-grades');
    expect(grades.length).toBeLessThanOrEqual(21);
    expect(grades.at(-1)?.message).toContain(`${50_000 - grades.length + 1} more warnings`);
    const stored = temp.db
      .prepare(
        "SELECT length(warnings) AS size FROM ingest_runs WHERE outcome = 'applied' ORDER BY id DESC LIMIT 1",
      )
      .get() as { size: number };
    expect(stored.size).toBeLessThan(20_000);
  });
});
