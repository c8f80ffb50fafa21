import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/*
 * The y-websocket wire format: a message type, then for sync messages the y-protocols sync type
 * (step 1: a state vector; step 2 and update: an update). Written here without a Y.Doc, since the
 * server answers from stored, encoded state.
 */

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

export const SYNC_STEP_1 = 0;
export const SYNC_STEP_2 = 1;
export const SYNC_UPDATE = 2;

export type Bytes = Uint8Array<ArrayBuffer>;

export type WireMessage =
  | { readonly kind: 'step1'; readonly stateVector: Uint8Array }
  | { readonly kind: 'update'; readonly update: Uint8Array; readonly isStep2: boolean }
  | { readonly kind: 'awareness' }
  | { readonly kind: 'auth' }
  | { readonly kind: 'query-awareness' };

function syncMessage(type: number, payload: Uint8Array): Bytes {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, type);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const step1Message = (stateVector: Uint8Array): Bytes => syncMessage(SYNC_STEP_1, stateVector);
export const step2Message = (update: Uint8Array): Bytes => syncMessage(SYNC_STEP_2, update);
export const updateMessage = (update: Uint8Array): Bytes => syncMessage(SYNC_UPDATE, update);

/**
 * An awareness message that changes nothing. y-websocket clients reconnect after 30 seconds of
 * silence; answering their own awareness pings with this keeps them connected without sharing
 * who else is online.
 */
export const EMPTY_AWARENESS: Bytes = new Uint8Array([MESSAGE_AWARENESS, 1, 0]);

/** Reads one message; throws on anything malformed or of a type the protocol does not have. */
export function readMessage(bytes: Uint8Array): WireMessage {
  const decoder = decoding.createDecoder(bytes);
  const type = decoding.readVarUint(decoder);
  let message: WireMessage;
  switch (type) {
    case MESSAGE_SYNC: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SYNC_STEP_1) message = { kind: 'step1', stateVector: payload };
      else if (syncType === SYNC_STEP_2 || syncType === SYNC_UPDATE) {
        message = { kind: 'update', update: payload, isStep2: syncType === SYNC_STEP_2 };
      } else throw new RangeError(`unknown sync message type ${syncType}`);
      break;
    }
    case MESSAGE_AWARENESS:
      return { kind: 'awareness' };
    case MESSAGE_AUTH:
      return { kind: 'auth' };
    case MESSAGE_QUERY_AWARENESS:
      return { kind: 'query-awareness' };
    default:
      throw new RangeError(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new RangeError('bytes after the end of the message');
  return message;
}

/** An update with no changes and no deletions: what a replica with nothing new sends. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
