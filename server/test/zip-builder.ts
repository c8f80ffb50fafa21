import { constants, crc32, deflateRawSync } from 'node:zlib';

/*
 * Zips written byte by byte, so a test can make one lie: declare sizes it does not have, carry a
 * wrong CRC-32, or inflate to a gigabyte from a megabyte.
 */

export interface ZipEntry {
  readonly name: string;
  /** The raw deflate stream stored for the entry. */
  readonly deflated: Buffer;
  /** What the directory claims; by default the truth. */
  readonly declaredSize: number;
  readonly crc: number;
}

/** An honest entry: its bytes deflated, with their true size and CRC-32. */
export function honestEntry(name: string, content: Buffer | string): ZipEntry {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return { name, deflated: deflateRawSync(bytes), declaredSize: bytes.length, crc: crc32(bytes) >>> 0 };
}

/**
 * An entry that inflates to `mebibytes` MiB of zeros from about a kilobyte per MiB: one deflated
 * MiB, flushed so it stands alone, repeated, then the final empty block.
 */
export function zerosEntry(name: string, mebibytes: number, declaredSize: number): ZipEntry {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  const deflated = Buffer.concat([...Array<Buffer>(mebibytes).fill(block), Buffer.from([0x03, 0x00])]);
  return { name, deflated, declaredSize, crc: 0 };
}

export function buildZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(entry.crc, 14);
    local.writeUInt32LE(entry.deflated.length, 18);
    local.writeUInt32LE(entry.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, entry.deflated);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(entry.crc, 16);
    central.writeUInt32LE(entry.deflated.length, 20);
    central.writeUInt32LE(entry.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + entry.deflated.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A zip of the given files, honestly. */
export function zipOf(files: ReadonlyMap<string, string>): Buffer {
  return buildZip([...files].map(([name, text]) => honestEntry(name, text)));
}
