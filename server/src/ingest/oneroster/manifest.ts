import type { FileMode, OneRosterVersion } from './context.ts';
import type { Issues } from './issues.ts';
import { CORE_FILES, decideMode, OPTIONAL_FILES, type Declaration } from './mode.ts';
import { readProperties } from './properties.ts';

const FILE_MODES = ['bulk', 'delta', 'absent'] as const;

export interface Manifest {
  readonly version: OneRosterVersion;
  readonly mode: FileMode;
  /** The files to read, by OneRoster name (`users`), as shipped: name and text. */
  readonly files: ReadonlyMap<string, { readonly name: string; readonly text: string }>;
}

/** Reads manifest.csv: the OneRoster version, and whether each file is bulk, delta or absent. */
export function readManifest(files: ReadonlyMap<string, string>, issues: Issues): Manifest | null {
  const byLowerName = new Map([...files].map(([name, text]) => [name.toLowerCase(), { name, text }]));
  const manifest = byLowerName.get('manifest.csv');
  if (manifest === undefined) {
    issues.error(
      'manifest.csv',
      'missing-manifest',
      'The bundle has no manifest.csv, so its OneRoster version is unknown.',
    );
    return null;
  }
  const file = manifest.name;
  const properties = readProperties(file, manifest.text, issues);
  if (properties === null) return null;

  const versionEntry = properties.get('oneroster.version');
  const version = readVersion(versionEntry?.value ?? '');
  if (version === null) {
    const where = versionEntry ? `${file}:${versionEntry.row}:2` : file;
    const found = versionEntry ? `says "${versionEntry.value}"` : 'has no oneroster.version';
    issues.error(where, 'unsupported-version', `${file} ${found}; this server reads OneRoster 1.1 and 1.2.`);
  }

  const declarations = new Map<string, Declaration>();
  for (const [property, { value, row }] of properties) {
    if (!property.startsWith('file.')) continue;
    const name = property.slice('file.'.length);
    const mode = FILE_MODES.find((candidate) => candidate === value.toLowerCase()) ?? null;
    declarations.set(name, { mode, row });
    if (mode === null) {
      const shown = value === '' ? 'blank' : `"${value}"`;
      issues.error(
        `${file}:${row}:2`,
        'bad-manifest-mode',
        `${property} in ${file} is ${shown}; it must be bulk, delta or absent.`,
      );
    } else if (mode === 'bulk' || mode === 'delta') {
      const shipped = byLowerName.get(`${name.toLowerCase()}.csv`);
      if (shipped === undefined) {
        issues.error(
          `${file}:${row}:2`,
          'missing-file',
          `${file} lists ${name}.csv as ${mode}, but the bundle has no such file.`,
        );
      }
    }
  }
  const byLowerKey = new Map(
    [...declarations].map(([key, declared]) => [`${key.toLowerCase()}.csv`, { key, declared }]),
  );
  for (const { name } of byLowerName.values()) {
    if (name === file) continue;
    const match = byLowerKey.get(name.toLowerCase());
    if (match?.declared.mode === null) continue; // already reported as a bad manifest value
    if (match === undefined || match.declared.mode === 'absent') {
      issues.warn(
        name,
        'undeclared-file',
        `${name} is not listed as bulk or delta in ${file}, so it was not read.`,
      );
    } else if (`${match.key}.csv` !== name) {
      issues.warn(
        name,
        'file-name-case',
        `${name} should be named ${match.key}.csv; it was read all the same.`,
      );
    }
  }
  if (version === null) return null;
  const mode = decideMode(version, file, declarations, issues);
  if (mode === null) return null;

  const toRead = new Map<string, { name: string; text: string }>();
  for (const key of [...CORE_FILES[version], ...OPTIONAL_FILES]) {
    const shipped = byLowerName.get(`${key.toLowerCase()}.csv`);
    if (declarations.get(key)?.mode === mode && shipped !== undefined) toRead.set(key, shipped);
  }
  return { version, mode, files: toRead };
}

/** 1.1 and 1.2, with any patch number (1.2.1 has the same CSV files as 1.2). */
function readVersion(value: string): OneRosterVersion | null {
  if (/^1\.1(\.\d+)?$/.test(value)) return '1.1';
  if (/^1\.2(\.\d+)?$/.test(value)) return '1.2';
  return null;
}
