import * as encoding from 'lib0/encoding';

/** Yjs's content reference for ContentAny, and the info bit that says a parentSub (map key) follows. */
const CONTENT_ANY = 8;
const HAS_PARENT_SUB = 0x20;

/**
 * The Yjs update (V1) that sets a new key in a root map, written by `client` at `clock`, made
 * without loading the document: exactly what `map.set(key, value)` produces in a document whose
 * map has no such key and whose `client` is at `clock`. It lets a message reach thousands of
 * inboxes without building each one. A test compares it, byte for byte, with Yjs's own.
 */
export function newEntryUpdate(
  client: number,
  clock: number,
  map: string,
  key: string,
  value: unknown,
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // clients
  encoding.writeVarUint(encoder, 1); // structs of this client
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  // No origin and no right origin: the first item under this key.
  encoding.writeUint8(encoder, CONTENT_ANY | HAS_PARENT_SUB);
  encoding.writeVarUint(encoder, 1); // the parent is a root type, named
  encoding.writeVarString(encoder, map);
  encoding.writeVarString(encoder, key);
  encoding.writeVarUint(encoder, 1); // ContentAny of one value
  encoding.writeAny(encoder, value as Parameters<typeof encoding.writeAny>[1]);
  encoding.writeVarUint(encoder, 0); // no deletions
  return encoding.toUint8Array(encoder);
}
