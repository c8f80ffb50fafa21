import type { DocRef } from '@schoolping/shared';
import type { SignedIn } from '../http/session.ts';
import type { Written } from './documents.ts';
import type { SyncEngine } from './engine.ts';
import { EMPTY_AWARENESS, readMessage, step2Message, type Bytes } from '@schoolping/shared';

export interface Answer {
  /** Messages back to the one who sent the frame, for the same document. */
  readonly replies: readonly Bytes[];
  /** Changes every subscriber of each document is to get, now committed. */
  readonly written: Written;
  /** Set when the frame broke the rules: the transport closes the connection. */
  readonly refused?: string;
  /** Set when the server stopped before deciding all of it: the sender is to send it again later. */
  readonly stopped?: true;
}

const NOTHING: Written = new Map();

/**
 * One y-websocket message for one document, whichever transport carried it: a state vector is
 * answered with what the sender lacks, an update goes to the engine, awareness is answered with
 * an awareness message that changes nothing (so the stock client does not think the line dead).
 */
export async function answerMessage(
  engine: SyncEngine,
  signedIn: SignedIn,
  name: string,
  ref: DocRef,
  bytes: Uint8Array,
): Promise<Answer> {
  let message: ReturnType<typeof readMessage>;
  try {
    message = readMessage(bytes);
  } catch {
    return { replies: [], written: NOTHING, refused: 'a frame that is not a sync message' };
  }
  switch (message.kind) {
    case 'step1': {
      try {
        return {
          replies: [step2Message(engine.documents.diff(name, message.stateVector))],
          written: NOTHING,
        };
      } catch {
        return { replies: [], written: NOTHING, refused: 'a state vector that cannot be read' };
      }
    }
    case 'update': {
      const result = await engine.receiveUpdate(signedIn, name, ref, message.update);
      if (result.kind === 'refused') return { replies: [], written: NOTHING, refused: result.problem };
      if (result.kind === 'stopped') return { replies: [], written: NOTHING, stopped: true };
      return { replies: [], written: result.kind === 'stored' ? result.written : NOTHING };
    }
    case 'awareness':
    case 'query-awareness':
      // Presence is not shared: who else has a document open is nobody else's business.
      return { replies: [EMPTY_AWARENESS], written: NOTHING };
    case 'auth':
      return { replies: [], written: NOTHING };
  }
}
