import { unzipSync, type UnzipFileInfo } from 'fflate';
import type { IngestIssue } from '../types.ts';

/*
 * A OneRoster bundle is a zip of CSV files (manifest.csv, users.csv, …). Schools upload it, so the
 * zip is untrusted: sizes are checked from the zip's own directory before anything is inflated.
 */

export interface BundleLimits {
  readonly maxZipBytes: number;
  readonly maxEntries: number;
  /** Sum of the declared uncompressed sizes of the CSV files read. */
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

/** Thrown from the zip filter to stop reading the directory as soon as a limit is passed. */
class LimitExceeded extends Error {}

/**
 * The bundle's CSV files by base name (`users.csv`), whatever folder they sat in. Names keep the
 * exporter's spelling; two files whose names differ only in case are an error.
 */
export function readOneRosterBundle(
  input: BundleInput,
  limits: BundleLimits = DEFAULT_BUNDLE_LIMITS,
): BundleResult {
  if ('files' in input)
    return collect(
      [...input.files].map(([path, text]) => ({ path, text })),
      limits,
    );
  if (input.zip.length > limits.maxZipBytes) {
    return refuse('zip-too-large', `The zip file is larger than the ${limits.maxZipBytes}-byte limit.`);
  }
  const wanted = new Set<string>();
  let entries = 0;
  let total = 0;
  // First pass: read the directory only (the filter refuses every entry, so nothing is inflated).
  try {
    unzipSync(input.zip, {
      filter: (info: UnzipFileInfo) => {
        entries++;
        if (entries > limits.maxEntries) throw new LimitExceeded();
        if (!isCsvEntry(info.name)) return false;
        total += info.originalSize;
        if (total > limits.maxTotalBytes) throw new LimitExceeded();
        wanted.add(info.name);
        return false;
      },
    });
  } catch (error) {
    if (error instanceof LimitExceeded) {
      return entries > limits.maxEntries
        ? refuse(
            'zip-too-many-files',
            `The zip holds more than ${limits.maxEntries} files; a OneRoster export has about a dozen.`,
          )
        : refuse(
            'zip-too-large',
            `The CSV files in the zip would unpack to more than ${limits.maxTotalBytes} bytes.`,
          );
    }
    return refuse('zip-unreadable', 'The file is not a zip archive that can be read.');
  }
  let raw: Record<string, Uint8Array>;
  try {
    // fflate inflates into a buffer of the declared size, so a lying header cannot grow it.
    raw = unzipSync(input.zip, { filter: (info) => wanted.has(info.name) });
  } catch {
    return refuse(
      'zip-unreadable',
      'The zip archive is damaged or uses a compression method other than deflate.',
    );
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decoded: { path: string; text: string }[] = [];
  const errors: IngestIssue[] = [];
  for (const [path, bytes] of Object.entries(raw)) {
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
