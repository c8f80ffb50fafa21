import { crc32 } from 'node:zlib';
import yauzl from 'yauzl';

/*
 * Reading an untrusted zip. Nothing a zip says about itself is believed: the bytes actually
 * inflated are counted as they stream and reading stops at the limit (a "lying" bomb declares 100
 * bytes and inflates to a gigabyte), each entry must inflate to exactly its declared size, and its
 * CRC-32 must match, so a damaged entry is refused rather than read short.
 */

export interface ZipLimits {
  readonly maxEntries: number;
  /** Bytes inflated across all wanted entries, counted as they stream. */
  readonly maxTotalBytes: number;
}

export type ZipProblem =
  | { readonly kind: 'too-many-files' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'unreadable'; readonly detail: string }
  | { readonly kind: 'duplicate'; readonly entry: string }
  | { readonly kind: 'damaged'; readonly entry: string; readonly detail: string };

export type ZipRead =
  | { readonly ok: true; readonly entries: ReadonlyMap<string, Uint8Array> }
  | { readonly ok: false; readonly problem: ZipProblem };

class Stop extends Error {
  constructor(readonly problem: ZipProblem) {
    super(problem.kind);
  }
}

/** The wanted entries' bytes, by path in the zip, or the first reason to refuse the whole zip. */
export async function readZipEntries(
  zip: Uint8Array,
  wanted: (path: string) => boolean,
  limits: ZipLimits,
): Promise<ZipRead> {
  let archive: yauzl.ZipFile;
  try {
    archive = await new Promise<yauzl.ZipFile>((resolve, reject) => {
      yauzl.fromBuffer(
        Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength),
        { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true },
        (error, file) => {
          if (error) reject(error);
          else resolve(file);
        },
      );
    });
  } catch (error) {
    return { ok: false, problem: { kind: 'unreadable', detail: messageOf(error) } };
  }
  if (archive.entryCount > limits.maxEntries) {
    archive.close();
    return { ok: false, problem: { kind: 'too-many-files' } };
  }
  const entries = new Map<string, Uint8Array>();
  const budget = { left: limits.maxTotalBytes };
  try {
    for (;;) {
      const entry = await nextEntry(archive);
      if (entry === null) break;
      if (entry.fileName.endsWith('/') || !wanted(entry.fileName)) continue;
      // Two entries with one name: which one a reader takes differs between tools, so neither is.
      if (entries.has(entry.fileName)) throw new Stop({ kind: 'duplicate', entry: entry.fileName });
      // An honest bomb says so up front: refuse it before inflating a byte.
      if (entry.uncompressedSize > budget.left) throw new Stop({ kind: 'too-large' });
      entries.set(entry.fileName, await inflateEntry(archive, entry, budget));
    }
  } catch (error) {
    archive.close();
    if (error instanceof Stop) return { ok: false, problem: error.problem };
    return { ok: false, problem: { kind: 'unreadable', detail: messageOf(error) } };
  }
  return { ok: true, entries };
}

function nextEntry(archive: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (entry: yauzl.Entry): void => {
      cleanup();
      resolve(entry);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      archive.off('entry', onEntry);
      archive.off('end', onEnd);
      archive.off('error', onError);
    };
    archive.on('entry', onEntry);
    archive.on('end', onEnd);
    archive.on('error', onError);
    archive.readEntry();
  });
}

function inflateEntry(
  archive: yauzl.ZipFile,
  entry: yauzl.Entry,
  budget: { left: number },
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    archive.openReadStream(entry, (error, stream) => {
      if (error) {
        reject(new Stop({ kind: 'damaged', entry: entry.fileName, detail: error.message }));
        return;
      }
      const chunks: Buffer[] = [];
      let checksum = 0;
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > budget.left) {
          stream.destroy(new Stop({ kind: 'too-large' }));
          return;
        }
        checksum = crc32(chunk, checksum);
        chunks.push(chunk);
      });
      stream.on('error', (failure) => {
        reject(
          failure instanceof Stop
            ? failure
            : new Stop({ kind: 'damaged', entry: entry.fileName, detail: failure.message }),
        );
      });
      stream.on('end', () => {
        if (checksum >>> 0 !== entry.crc32 >>> 0) {
          reject(new Stop({ kind: 'damaged', entry: entry.fileName, detail: 'its CRC-32 does not match' }));
          return;
        }
        budget.left -= size;
        resolve(new Uint8Array(Buffer.concat(chunks, size)));
      });
    });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
