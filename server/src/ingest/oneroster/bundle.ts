import type { IngestIssue } from '../core/types.ts';
import { readZipEntries, type ZipProblem } from './zip-entries.ts';

/*
 * A OneRoster bundle is a zip of CSV files (manifest.csv, users.csv, …). Schools upload it, so the
 * zip is untrusted: see zip-entries.ts for what is checked while it is read.
 */

export interface BundleLimits {
  readonly maxZipBytes: number;
  readonly maxEntries: number;
  /** Bytes the CSV files inflate to, counted as they are read, and of CSV text handed in directly. */
  readonly maxTotalBytes: number;
}

export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxZipBytes: 50_000_000,
  maxEntries: 50,
  maxTotalBytes: 50_000_000,
};

export type BundleResult =
  | { readonly ok: true; readonly files: Map<string, string> }
  | { readonly ok: false; readonly errors: IngestIssue[] };

export type BundleInput = { readonly zip: Uint8Array } | { readonly files: ReadonlyMap<string, string> };

/**
 * The bundle's CSV files by base name (`users.csv`), whatever folder they sat in. Names keep the
 * exporter's spelling; two files whose names differ only in case are an error.
 */
export async function readOneRosterBundle(
  input: BundleInput,
  limits: BundleLimits = DEFAULT_BUNDLE_LIMITS,
): Promise<BundleResult> {
  if ('files' in input)
    return collect(
      [...input.files].map(([path, text]) => ({ path, text })),
      limits,
    );
  if (input.zip.length > limits.maxZipBytes) {
    return refuse('zip-too-large', `The zip file is larger than the ${limits.maxZipBytes}-byte limit.`);
  }
  const read = await readZipEntries(input.zip, isCsvEntry, limits);
  if (!read.ok) return refuseZip(read.problem, limits);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decoded: { path: string; text: string }[] = [];
  const errors: IngestIssue[] = [];
  for (const [path, bytes] of read.entries) {
    try {
      decoded.push({ path, text: decoder.decode(bytes) });
    } catch {
      errors.push({
        where: baseName(path),
        code: 'not-utf8',
        message: `${baseName(path)} is not UTF-8 text; export it as UTF-8 CSV.`,
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return collect(decoded, limits);
}

function refuseZip(problem: ZipProblem, limits: BundleLimits): BundleResult {
  switch (problem.kind) {
    case 'too-many-files':
      return refuse(
        'zip-too-many-files',
        `The zip holds more than ${limits.maxEntries} files; a OneRoster export has about a dozen.`,
      );
    case 'too-large':
      return refuse(
        'zip-too-large',
        `The CSV files in the zip would unpack to more than ${limits.maxTotalBytes} bytes.`,
      );
    case 'unreadable':
      return refuse('zip-unreadable', 'The file is not a zip archive that can be read.');
    case 'duplicate':
      return {
        ok: false,
        errors: [
          {
            where: baseName(problem.entry),
            code: 'duplicate-file',
            message: `The zip holds ${problem.entry} twice; export the bundle again.`,
          },
        ],
      };
    case 'damaged':
      return {
        ok: false,
        errors: [
          {
            where: baseName(problem.entry),
            code: 'zip-damaged',
            message: `${baseName(problem.entry)} in the zip is damaged (${problem.detail}); nothing was changed. Export the bundle again.`,
          },
        ],
      };
  }
}

function collect(entries: readonly { path: string; text: string }[], limits: BundleLimits): BundleResult {
  const files = new Map<string, string>();
  const byLowerName = new Map<string, string>();
  const errors: IngestIssue[] = [];
  let total = 0;
  for (const { path, text } of entries) {
    if (!isCsvEntry(path)) continue;
    const name = baseName(path);
    const clash = byLowerName.get(name.toLowerCase());
    if (clash !== undefined) {
      errors.push({
        where: name,
        code: 'duplicate-file',
        message: `The bundle holds two files named ${name} (also ${clash}); keep one.`,
      });
      continue;
    }
    byLowerName.set(name.toLowerCase(), name);
    total += text.length;
    // The TextDecoder drops a BOM; text handed in directly may still carry one.
    files.set(name, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  }
  if (total > limits.maxTotalBytes) {
    errors.push({
      where: '',
      code: 'bundle-too-large',
      message: `The CSV files are larger than the ${limits.maxTotalBytes}-byte limit.`,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, files };
}

/** Plain CSV files only: no folders, no macOS resource forks or Finder files. */
function isCsvEntry(path: string): boolean {
  if (path.endsWith('/') || path.split('/').includes('__MACOSX')) return false;
  const name = baseName(path);
  return !name.startsWith('._') && name.toLowerCase().endsWith('.csv');
}

function baseName(path: string): string {
  const parts = path.split(/[/\\]/);
  return parts[parts.length - 1] ?? path;
}

function refuse(code: string, message: string): BundleResult {
  return { ok: false, errors: [{ where: '', code, message }] };
}
