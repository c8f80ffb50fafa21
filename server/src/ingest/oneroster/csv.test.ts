import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeCsv } from '../../../test/csv-writer.ts';
import { parseCsv } from './csv.ts';

function rows(text: string): readonly (readonly string[])[] {
  const result = parseCsv(text, 'users.csv');
  if (!result.ok) throw new Error(result.error.message);
  return result.rows;
}

describe('parseCsv', () => {
  it('reads quoted fields with commas and doubled quotes', () => {
    expect(rows('a,"b,c","say ""hi""",\r\n')).toEqual([['a', 'b,c', 'say "hi"', '']]);
  });

  it('accepts CRLF, LF and a lone CR, and no terminator after the last line', () => {
    expect(rows('a,b\r\nc,d\ne,f\rg,h')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('does not add a row for the final line end', () => {
    expect(rows('a\r\nb\r\n')).toEqual([['a'], ['b']]);
    expect(rows('')).toEqual([]);
  });

  it('keeps a blank line in the middle as a row of one empty value, so row numbers stay right', () => {
    expect(rows('a\r\n\r\nb')).toEqual([['a'], [''], ['b']]);
  });

  it('strips a byte-order mark', () => {
    expect(rows('\uFEFFsourcedId,name\r\n1,x')).toEqual([
      ['sourcedId', 'name'],
      ['1', 'x'],
    ]);
  });

  it('reads a quoted field spanning lines as one row', () => {
    expect(rows('id,note\r\n1,"line one\r\nline two"\r\n2,x')).toEqual([
      ['id', 'note'],
      ['1', 'line one\r\nline two'],
      ['2', 'x'],
    ]);
  });

  it('keeps a stray quote inside an unquoted field as a character', () => {
    expect(rows('5\'10",x')).toEqual([['5\'10"', 'x']]);
  });

  it('reports an unterminated quote at the row and column where it opens', () => {
    // Row 3 counts rows, not lines: the quoted value on row 2 spans two lines.
    const result = parseCsv('a,b\r\n"x\r\ny",z\r\nc,"never closed\r\nmore', 'users.csv');
    expect(result).toMatchObject({
      ok: false,
      error: { where: 'users.csv:3:2', code: 'csv-unterminated-quote' },
    });
    expect(result.ok ? '' : result.error.message).toBe(
      'Row 3, column 2 of users.csv opens a quoted value that is never closed.',
    );
  });

  it('refuses text after a closing quote', () => {
    const result = parseCsv('a,"b"c', 'orgs.csv');
    expect(result.ok ? null : result.error.where).toBe('orgs.csv:1:2');
  });

  it('reads a quoted value that itself begins and ends with a quote', () => {
    expect(rows('"""Hi"" she said, ""bye""",é\r\n"😀",x')).toEqual([
      ['"Hi" she said, "bye"', 'é'],
      ['😀', 'x'],
    ]);
  });

  it('refuses text after a closing quote in words, wherever the quote falls', () => {
    for (const text of ['x,"b"c', 'x,"b"c"', 'x,"b""c"d\r\ny']) {
      const result = parseCsv(text, 'orgs.csv');
      expect(result.ok ? null : result.error).toEqual({
        where: 'orgs.csv:1:2',
        code: 'csv-text-after-quote',
        message: 'Row 1, column 2 of orgs.csv has text after the closing quote; quote the whole value.',
      });
    }
  });

  it('refuses a row with more than 1,000 fields', () => {
    const result = parseCsv(`${'x,'.repeat(1000)}x`, 'users.csv');
    expect(result.ok ? null : result.error).toMatchObject({
      where: 'users.csv:1:1001',
      code: 'csv-too-many-fields',
    });
    expect(parseCsv(`${'x,'.repeat(999)}x`, 'users.csv').ok).toBe(true);
  });

  it('refuses a file over the size limit', () => {
    const result = parseCsv('a,b,c', 'users.csv', { maxChars: 4, maxFieldsPerRow: 1000 });
    expect(result.ok ? null : result.error).toMatchObject({ where: 'users.csv', code: 'file-too-large' });
  });
});

describe('writeCsv and parseCsv', () => {
  const awkward = fc.constantFrom('a', 'Z', ' ', ',', '"', '\r', '\n', '\r\n', '\uFEFF', 'é', '😀');
  const cell = fc.oneof(fc.string(), fc.string({ unit: awkward }));
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { maxLength: 8 });

  it('reads back any table it writes, with either line end', () => {
    fc.assert(
      fc.property(table, fc.constantFrom('\r\n', '\n'), (written, lineEnd) => {
        expect(rows(writeCsv(written, lineEnd))).toEqual(written);
      }),
    );
  });
});
