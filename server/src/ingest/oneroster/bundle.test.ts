import { strToU8, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readOneRosterBundle } from './bundle.ts';
import { parseOneRoster } from './parse.ts';
import { loadSample, SAMPLES, TODAY } from './test-support.ts';

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
  it('round-trips a zip of the 1.1 sample, in a folder, to the same files and the same import', () => {
    const files = loadSample(SAMPLES.v11Bulk);
    const bundle = readOneRosterBundle({ zip: zipOf(files, 'export/') });
    expect(bundle).toEqual({ ok: true, files });
    if (!bundle.ok) return;
    expect(parseOneRoster(bundle.files, { today: TODAY })).toEqual(parseOneRoster(files, { today: TODAY }));
  });

  it('ignores folders, macOS resource forks and files that are not CSV', () => {
    const zip = zipSync({
      'export/': {},
      'export/users.csv': strToU8('sourcedId\r\n1'),
      '__MACOSX/export/._users.csv': new Uint8Array([0, 5, 22, 7]),
      'export/._orgs.csv': new Uint8Array([0, 5, 22, 7]),
      'export/README.txt': strToU8('hello'),
    });
    expect(readOneRosterBundle({ zip })).toEqual({
      ok: true,
      files: new Map([['users.csv', 'sourcedId\r\n1']]),
    });
  });

  it('reads stored (uncompressed) entries and strips a byte-order mark', () => {
    const zip = zipSync({ 'users.csv': [strToU8('\uFEFFsourcedId'), { level: 0 }] });
    expect(readOneRosterBundle({ zip })).toEqual({ ok: true, files: new Map([['users.csv', 'sourcedId']]) });
  });

  it('refuses an entry whose declared size is over the limit, without inflating it', () => {
    const zip = zipSync({ 'users.csv': strToU8('sourcedId\r\n'.repeat(100)) });
    const bomb = declareSize(zip, 0xfffffff0);
    // Corrupt the deflate data too: had the reader inflated it, the answer would be zip-unreadable.
    bomb.fill(0xff, 30 + 'users.csv'.length, 30 + 'users.csv'.length + 8);
    const result = readOneRosterBundle({ zip: bomb });
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-too-large']);
  });

  it('refuses files that together would unpack past the limit', () => {
    const zip = zipSync({ 'users.csv': new Uint8Array(600_000), 'orgs.csv': new Uint8Array(600_000) });
    const limits = { maxZipBytes: 1_000_000, maxEntries: 50, maxTotalBytes: 1_000_000 };
    expect(zip.length).toBeLessThan(10_000);
    const result = readOneRosterBundle({ zip }, limits);
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-too-large']);
  });

  it('refuses a zip with more entries than a OneRoster export has', () => {
    const entries: Zippable = {};
    for (let index = 0; index < 51; index++) entries[`file${index}.csv`] = strToU8('x');
    const result = readOneRosterBundle({ zip: zipSync(entries) });
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-too-many-files']);
  });

  it('refuses a file that is not UTF-8, naming it', () => {
    const zip = zipSync({ 'users.csv': new Uint8Array([0x61, 0xff, 0xfe, 0x62]), 'orgs.csv': strToU8('ok') });
    const result = readOneRosterBundle({ zip });
    expect(result).toMatchObject({ ok: false, errors: [{ where: 'users.csv', code: 'not-utf8' }] });
    expect(result.ok ? '' : result.errors[0]?.message).toBe(
      'users.csv is not UTF-8 text; export it as UTF-8 CSV.',
    );
  });

  it('refuses bytes that are not a zip', () => {
    const result = readOneRosterBundle({ zip: strToU8('sourcedId,name\r\n1,x') });
    expect(result.ok ? null : result.errors.map((issue) => issue.code)).toEqual(['zip-unreadable']);
  });

  it('refuses two files whose names differ only in case', () => {
    const files = new Map([
      ['a/users.csv', 'x'],
      ['b/Users.csv', 'y'],
    ]);
    const result = readOneRosterBundle({ files });
    expect(result).toMatchObject({ ok: false, errors: [{ where: 'Users.csv', code: 'duplicate-file' }] });
  });

  it('takes CSV files handed in directly by base name', () => {
    const files = new Map([
      ['upload/manifest.csv', '\uFEFFpropertyName,value'],
      ['notes.txt', 'x'],
    ]);
    expect(readOneRosterBundle({ files })).toEqual({
      ok: true,
      files: new Map([['manifest.csv', 'propertyName,value']]),
    });
  });
});
