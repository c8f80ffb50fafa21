/*
 * What an upload says it is, and what its bytes are. Media types are case-insensitive and may
 * carry parameters (`Application/JSON; charset=utf-8`). Browsers name a zip several ways (Windows
 * sends application/x-zip-compressed), so a zip is recognised by its first bytes.
 */

export function mediaType(header: string | undefined | null): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** Types under which a OneRoster zip may arrive; the bytes decide whether it is one. */
export const ZIP_TYPES: ReadonlySet<string> = new Set([
  'application/zip',
  'application/x-zip-compressed',
  'application/x-zip',
  'application/octet-stream',
]);

/** A local file header (`PK\x03\x04`) or, for an empty archive, the end of the directory (`PK\x05\x06`). */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x50 &&
    bytes[1] === 0x4b &&
    ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06))
  );
}
