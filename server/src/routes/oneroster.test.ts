import { strToU8, zipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRoster } from '../db/school-store.ts';
import { ingestFixture, type IngestFixture } from '../../test/ingest-fixture.ts';
import { loadSample, SAMPLES } from '../../test/oneroster-samples.ts';

let fixture: IngestFixture;
afterEach(() => {
  fixture.cleanup();
});

function zipOf(files: ReadonlyMap<string, string>): Uint8Array<ArrayBuffer> {
  const zipped = zipSync(Object.fromEntries([...files].map(([name, text]) => [name, strToU8(text)])));
  return new Uint8Array(zipped);
}

function send(f: IngestFixture, body: BodyInit, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${f.key}` };
  if (contentType) headers['content-type'] = contentType;
  return Promise.resolve(f.app.request('/api/mis/oneroster', { method: 'POST', body, headers }));
}

function formOf(files: ReadonlyMap<string, string | Uint8Array<ArrayBuffer>>): FormData {
  const form = new FormData();
  for (const [name, content] of files) form.append('file', new File([content], name, { type: 'text/csv' }));
  return form;
}

const storedCount = (f: IngestFixture): number =>
  (f.db.prepare('SELECT count(*) AS n FROM mis_records').get() as { n: number }).n;

describe('POST /api/mis/oneroster', () => {
  it('refuses the deliberately broken 1.2 set with precise file:row:column errors, changing nothing', async () => {
    fixture = ingestFixture();
    const response = await send(fixture, zipOf(loadSample(SAMPLES.v12Broken)), 'application/zip');
    expect(response.status).toBe(422);
    const { errors } = (await response.json()) as { errors: { where: string; code: string }[] };
    expect(errors.length).toBeGreaterThan(3);
    for (const error of errors) expect(error.where).toMatch(/^[\w.]+\.csv(:\d+:\d+)?$/i);
    expect(errors.some((error) => error.where.startsWith('users.csv:'))).toBe(true);
    expect(storedCount(fixture)).toBe(0);
  });

  it('applies the 1.1 bulk set as multipart files, with warnings for its non-conforming values', async () => {
    fixture = ingestFixture();
    const response = await send(fixture, formOf(loadSample(SAMPLES.v11Bulk)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      warnings: { code: string }[];
      byKind: Record<string, { added: number }>;
    };
    expect(body.warnings.length).toBeGreaterThan(0);
    expect(body.byKind.pupil?.added).toBeGreaterThan(0);
    const roster = loadRoster(fixture.db, fixture.school);
    expect(roster.links.length).toBeGreaterThan(0);
  });

  it('sent again the next day, the 1.1 bulk set changes nothing, though its default dates moved', async () => {
    fixture = ingestFixture();
    expect((await send(fixture, formOf(loadSample(SAMPLES.v11Bulk)))).status).toBe(200);
    const before = loadRoster(fixture.db, fixture.school);
    fixture.now = new Date(fixture.now.getTime() + 24 * 3_600_000);
    const again = await send(fixture, formOf(loadSample(SAMPLES.v11Bulk)));
    const body = (await again.json()) as { counts: { added: number; updated: number; left: number } };
    expect(body.counts).toMatchObject({ added: 0, updated: 0, left: 0 });
    expect(loadRoster(fixture.db, fixture.school)).toEqual(before);
  });

  it('applies the 1.2 delta set', async () => {
    fixture = ingestFixture();
    const response = await send(fixture, zipOf(loadSample(SAMPLES.v12Delta)), 'application/zip');
    expect(response.status).toBe(200);
    expect(loadRoster(fixture.db, fixture.school).pupils.length).toBeGreaterThan(0);
    const again = await send(fixture, zipOf(loadSample(SAMPLES.v12Delta)), 'application/zip');
    expect(((await again.json()) as { counts: { added: number; updated: number } }).counts).toMatchObject({
      added: 0,
      updated: 0,
    });
  });

  it('refuses a file that is not UTF-8, a body that is neither zip nor form, and a zip that is not a zip', async () => {
    fixture = ingestFixture();
    const files = new Map<string, string | Uint8Array<ArrayBuffer>>(loadSample(SAMPLES.v11Bulk));
    files.set('users.csv', new Uint8Array([0xff, 0xfe, 0x41]));
    const notUtf8 = await send(fixture, formOf(files));
    expect(await notUtf8.json()).toMatchObject({
      errors: [expect.objectContaining({ code: 'not-utf8', where: 'users.csv' })],
    });
    expect((await send(fixture, 'users', 'text/plain')).status).toBe(415);
    const notZip = await send(fixture, new Uint8Array([1, 2, 3, 4]), 'application/zip');
    expect(notZip.status).toBe(400);
    expect(await notZip.json()).toMatchObject({ error: 'not-a-zip' });
    expect(storedCount(fixture)).toBe(0);
  });
});
