import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildZip, honestEntry } from '../../../test/zip-builder.ts';
import { readOneRosterBundle } from './bundle.ts';
import { parseOneRoster } from './parse.ts';
import { loadSample, SAMPLES, TODAY } from '../../../test/oneroster-samples.ts';

function zipOf(files: ReadonlyMap<string, string>, folder = ''): Uint8Array {
  const entries: Zippable = {};
  for (const [name, text] of files) entries[`${folder}${name}`] = strToU8(text);
  return zipSync(entries);
}

/** Rewrites every entry's declared uncompressed size, as a zip bomb's directory would read. */
function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  for (let at = 0; at + 4 <= copy.length; at++) {
    const signature = view.getUint32(at, true);
    if (signature === 0x04034b50) view.setUint32(at + 22, size, true); // local file header
    if (signature === 0x02014b50) view.setUint32(at + 24, size, true); // central directory entry
  }
  return copy;
}

describe('readOneRosterBundle', () => {
  it('round-trips a zip of the 1.1 sample, in a folder, to the same files and the same import', async () => {
    const files = loadSample(SAMPLES.v11Bulk);
    const bundle = await readOneRosterBundle({ zip: zipOf(files, 'export/') });
    expect(bundle).toEqual({ ok: true, files });
    if (!bundle.ok) return;
    expect(parseOneRoster(bundle.files, { today: TODAY })).toEqual(parseOneRoster(files, { today: TODAY }));
  });

  it('ignores folders, macOS resource forks and files that are not CSV', async () => {
    const zip = zipSync({
      'export/': {},
      'export/users.csv': strToU8('sourcedId\r\n1'),
      '__MACOSX/export/._users.csv': new Uint8Array([0, 5, 22, 7]),
      'export/._orgs.csv': new Uint8Array([0, 5, 22, 7]),
      'export/README.txt': strToU8('hello'),
    });
    expect(await readOneRosterBundle({ zip })).toEqual({
      ok: true,
      files: new Map([['users.csv', 'sourcedId\r\n1']]),
    });
  });

  it('reads stored (uncompressed) entries and strips a byte-order mark', async () => {
    const zip = zipSync({ 'users.csv': [strToU8('\uFEFFsourcedId'), { level: 0 }] });
    expect(await readOneRosterBundle({ zip })).toEqual({
      ok: true,
      files: new Map([['users.csv', 'sourcedId']]),
    });
  });

  it('refuses an entry whose declared size is over the limit, without inflating it', async () => {
    const zip = zipSync({ 'users.csv': strToU8('sourcedId\r\n'.repeat(100)) });
    const bomb = declareSize(zip, 0xfffffff0);
    // Corrupt the deflate data too: had the reader inflated it, the answer would be zip-unreadable.
    bomb.fill(0xff, 30 + 'users.csv'.length, 30 + 'users.csv'.length + 8);
    const result = await readOneRosterBundle({ zip: bomb });
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-too-large']);
  });

  it('refuses files that together would unpack past the limit', async () => {
    const zip = zipSync({ 'users.csv': new Uint8Array(600_000), 'orgs.csv': new Uint8Array(600_000) });
    const limits = { maxZipBytes: 1_000_000, maxEntries: 50, maxTotalBytes: 1_000_000 };
    expect(zip.length).toBeLessThan(10_000);
    const result = await readOneRosterBundle({ zip }, limits);
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-too-large']);
  });

  it('refuses a zip with more entries than a OneRoster export has', async () => {
    const entries: Zippable = {};
    for (let index = 0; index < 51; index++) entries[`file${index}.csv`] = strToU8('x');
    const result = await readOneRosterBundle({ zip: zipSync(entries) });
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-too-many-files']);
  });

  it('refuses a file that is not UTF-8, naming it', async () => {
    const zip = zipSync({ 'users.csv': new Uint8Array([0x61, 0xff, 0xfe, 0x62]), 'orgs.csv': strToU8('ok') });
    const result = await readOneRosterBundle({ zip });
    expect(result).toMatchObject({ ok: false, errors: [{ where: 'users.csv', code: 'not-utf8' }] });
    expect(result.ok ? '' : result.errors[0]?.message).toBe(
      'users.csv is not UTF-8 text; export it as UTF-8 CSV.',
    );
  });

  it('refuses bytes that are not a zip', async () => {
    const result = await readOneRosterBundle({ zip: strToU8('sourcedId,name\r\n1,x') });
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-unreadable']);
  });

  it('refuses two files whose names differ only in case', async () => {
    const files = new Map([
      ['a/users.csv', 'x'],
      ['b/Users.csv', 'y'],
    ]);
    const result = await readOneRosterBundle({ files });
    expect(result).toMatchObject({ ok: false, errors: [{ where: 'Users.csv', code: 'duplicate-file' }] });
  });

  it('takes CSV files handed in directly by base name', async () => {
    const files = new Map([
      ['upload/manifest.csv', '\uFEFFpropertyName,value'],
      ['notes.txt', 'x'],
    ]);
    expect(await readOneRosterBundle({ files })).toEqual({
      ok: true,
      files: new Map([['manifest.csv', 'propertyName,value']]),
    });
  });

  it('refuses a lying zip bomb while inflating it, without unpacking it whole', async () => {
    // 64 MiB of zeros deflates to about 64 KB; the directory says the entry holds 100 bytes.
    const zip = zipSync({ 'users.csv': new Uint8Array(64 * 1024 * 1024) });
    const bomb = declareSize(zip, 100);
    expect(bomb.length).toBeLessThan(200_000);
    const result = await readOneRosterBundle({ zip: bomb });
    expect(result).toMatchObject({ ok: false, errors: [{ where: 'users.csv', code: 'zip-damaged' }] });
  });

  it('stops at the limit on bytes actually inflated, whatever the directory says', async () => {
    const zip = zipSync({ 'users.csv': new Uint8Array(3_000_000), 'orgs.csv': new Uint8Array(3_000_000) });
    const limits = { maxZipBytes: 1_000_000, maxEntries: 50, maxTotalBytes: 5_000_000 };
    const result = await readOneRosterBundle({ zip: declareSize(zip, 1000) }, limits);
    expect(result.ok).toBe(false);
  });

  it('refuses an entry whose CRC-32 does not match, naming the file, instead of reading it short', async () => {
    const zip = zipSync({ 'users.csv': strToU8('sourcedId\r\n1\r\n2\r\n'), 'orgs.csv': strToU8('ok') });
    const damaged = zip.slice();
    const view = new DataView(damaged.buffer);
    for (let at = 0; at + 4 <= damaged.length; at++) {
      const signature = view.getUint32(at, true);
      const isUsers = (nameAt: number) =>
        new TextDecoder().decode(damaged.subarray(nameAt, nameAt + 'users.csv'.length)) === 'users.csv';
      if (signature === 0x04034b50 && isUsers(at + 30)) view.setUint32(at + 14, 0xdeadbeef, true);
      if (signature === 0x02014b50 && isUsers(at + 46)) view.setUint32(at + 16, 0xdeadbeef, true);
    }
    const result = await readOneRosterBundle({ zip: damaged });
    expect(result).toMatchObject({ ok: false, errors: [{ where: 'users.csv', code: 'zip-damaged' }] });
    expect(result.ok ? '' : result.errors[0]?.message).toContain('CRC-32');
  });

  it('refuses a zip holding one file twice under the very same name', async () => {
    // Built by hand so both entries carry the same path.
    const twice = buildZip([
      honestEntry('users.csv', 'sourcedId\r\n1'),
      honestEntry('users.csv', 'sourcedId\r\n2'),
    ]);
    const result = await readOneRosterBundle({ zip: new Uint8Array(twice) });
    expect(result).toMatchObject({ ok: false, errors: [{ where: 'users.csv', code: 'duplicate-file' }] });
  });
});
