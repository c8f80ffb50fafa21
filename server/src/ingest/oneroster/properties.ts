import { parseCsv } from './csv.ts';
import type { Issues } from './issues.ts';

export interface Property {
  readonly value: string;
  /** Row in manifest.csv, header = 1. */
  readonly row: number;
}

/** manifest.csv's propertyName → value pairs, found by header name like every other file. */
export function readProperties(file: string, text: string, issues: Issues): Map<string, Property> | null {
  const csv = parseCsv(text, file);
  if (!csv.ok) {
    issues.error(csv.error.where, csv.error.code, csv.error.message);
    return null;
  }
  const [header = [], ...body] = csv.rows;
  const nameAt = header.indexOf('propertyName');
  const valueAt = header.indexOf('value');
  if (nameAt === -1 || valueAt === -1) {
    issues.error(file, 'missing-column', `${file} must have the columns propertyName and value.`);
    return null;
  }
  const properties = new Map<string, Property>();
  body.forEach((fields, position) => {
    const row = position + 2;
    if (fields.length === 1 && fields[0] === '') return;
    if (fields.length !== header.length) {
      const column = Math.min(fields.length, header.length) + 1;
      issues.error(
        `${file}:${row}:${column}`,
        'field-count',
        `Row ${row} of ${file} has ${fields.length} values, not ${header.length}.`,
      );
      return;
    }
    const property = (fields[nameAt] ?? '').trim();
    if (properties.has(property)) {
      issues.error(`${file}:${row}:${nameAt + 1}`, 'duplicate-property', `${file} lists ${property} twice.`);
      return;
    }
    properties.set(property, { value: (fields[valueAt] ?? '').trim(), row });
  });
  return properties;
}
