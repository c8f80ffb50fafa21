import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Bytes } from './wire.ts';

/*
 * Many documents over one connection (the `/sync` socket and `POST /api/sync`): each frame is the
 * document's name as a length-prefixed string, then one y-websocket message. Over HTTP a body is
 * any number of such frames, each length-prefixed.
 */

export interface NamedMessage {
  readonly name: string;
  readonly message: Uint8Array;
}

export function writeNamed(name: string, message: Uint8Array): Bytes {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, name);
  encoding.writeUint8Array(encoder, message);
  return encoding.toUint8Array(encoder);
}

export function readNamed(frame: Uint8Array): NamedMessage {
  const decoder = decoding.createDecoder(frame);
  const name = decoding.readVarString(decoder);
  return { name, message: decoding.readTailAsUint8Array(decoder) };
}

/** A batch of named messages, each length-prefixed, for one HTTP body. */
export function writeBatch(frames: readonly Uint8Array[]): Bytes {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, frames.length);
  for (const frame of frames) encoding.writeVarUint8Array(encoder, frame);
  return encoding.toUint8Array(encoder);
}

export function readBatch(body: Uint8Array, maxFrames: number): Uint8Array[] {
  const decoder = decoding.createDecoder(body);
  const count = decoding.readVarUint(decoder);
  if (count > maxFrames) throw new RangeError(`more than ${maxFrames} frames`);
  const frames: Uint8Array[] = [];
  for (let index = 0; index < count; index++) frames.push(decoding.readVarUint8Array(decoder));
  if (decoding.hasContent(decoder)) throw new RangeError('bytes after the last frame');
  return frames;
}
