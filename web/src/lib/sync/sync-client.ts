import {
  isEmptyUpdate,
  readBatch,
  readMessage,
  readNamed,
  step1Message,
  step2Message,
  updateMessage,
  writeBatch,
  writeNamed,
  type DocListing,
  type Intent,
  type Verdict,
} from '@schoolping/shared';
import * as Y from 'yjs';
import { StoredDoc, storageProblemWords, type DocStorage } from './device-storage';
import { outboxStatus } from './outbox-status';
import { STARTING_STATUS, type SyncStatus } from './sync-status';

export type { DocStorage } from './device-storage';

/** The little of a WebSocket the client uses, so tests can hand it any implementation. */
export interface SocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number): void;
  onopen: (() => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onerror: (() => void) | null;
}

export interface SyncClientOptions {
  readonly listings: readonly DocListing[];
  readonly storage: DocStorage;
  readonly openSocket: () => SocketLike;
  /** POST /api/sync: a batch of frames out, a batch back. */
  readonly exchange: (body: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>;
  readonly onStatus: (status: SyncStatus) => void;
  /** A document changed (from the device, the server or this person): screens read it again. */
  readonly onDocChange?: (name: string) => void;
  /** The server ended the session: the app signs out. */
  readonly onSessionEnded: () => void;
  readonly now?: () => Date;
  readonly random?: () => number;
}

const SOCKET_OPEN = 1;
/** Backoff: up to this, with full jitter, so a restarted server is not met by every client at once. */
const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** Socket attempts that never open before changes go over plain HTTP instead. */
const SOCKET_FAILURES_BEFORE_HTTP = 3;
const POLL_MS = 15_000;
/** Plain-HTTP exchanges between two tries of the socket (about every five minutes). */
const PROBE_SOCKET_EVERY = 20;
const POLL_SOON_MS = 300;
/** Local changes are gathered this long into one frame. */
const FLUSH_MS = 20;

const FROM_STORAGE = Symbol('storage');
const FROM_SERVER = Symbol('server');

interface LocalDoc {
  readonly listing: DocListing;
  readonly doc: Y.Doc;
  /** The server's state vector, from its last step 1: what to send it over HTTP. */
  serverVector: Uint8Array | null;
  readonly stored: StoredDoc;
}

/**
 * One Y.Doc per document, kept on the device and synced with the server: over the `/sync` socket
 * (all documents, frames named), reconnecting with jittered exponential backoff, and over
 * `POST /api/sync` when the socket never gets through. The outbox is written here first and reaches
 * the server when it can; a change counts as pending until its verdict arrives.
 */
export class SyncClient {
  readonly #options: SyncClientOptions;
  readonly #docs = new Map<string, LocalDoc>();
  readonly #now: () => Date;
  readonly #random: () => number;
  #status: SyncStatus = STARTING_STATUS;
  #socket: SocketLike | null = null;
  #failures = 0;
  /** Whether a socket has ever brought a message from the server. */
  #everOpened = false;
  #mode: 'socket' | 'http' = 'socket';
  /** Whether a plain-HTTP exchange has ever worked: until it has, a failed one means offline. */
  #httpWorked = false;
  #exchanges = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #isStopped = false;
  #isExchanging = false;
  #awaitingStep2 = new Set<string>();
  /** Local changes waiting for the next frame, by document. */
  readonly #unsent = new Map<string, Uint8Array[]>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  /** Rejected changes the person has put away. */
  #dismissed = new Set<string>();

  constructor(options: SyncClientOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#random = options.random ?? Math.random;
  }

  /** Loads every document from the device, then connects. */
  async start(): Promise<void> {
    for (const listing of this.#options.listings) {
      const doc = new Y.Doc();
      const local: LocalDoc = {
        listing,
        doc,
        serverVector: null,
        stored: new StoredDoc(this.#options.storage, listing.name),
      };
      try {
        const updates = await local.stored.load();
        Y.transact(
          doc,
          () => {
            for (const update of updates) Y.applyUpdate(doc, update);
          },
          FROM_STORAGE,
        );
      } catch (error) {
        this.#storageFailed(error);
      }
      doc.on('update', (update: Uint8Array, origin: unknown) => {
        this.#onUpdate(local, update, origin);
      });
      this.#docs.set(listing.name, local);
    }
    try {
      this.#dismissed = new Set(await this.#options.storage.dismissed());
    } catch (error) {
      this.#storageFailed(error);
    }
    this.#refreshStatus();
    this.#connect();
  }

  stop(): void {
    this.#isStopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#flushTimer !== null) clearTimeout(this.#flushTimer);
    this.#socket?.close(1000);
    this.#socket = null;
    for (const { doc } of this.#docs.values()) doc.destroy();
  }

  doc(name: string): Y.Doc | undefined {
    return this.#docs.get(name)?.doc;
  }

  /** The documents this person has, as the server listed them. */
  get listings(): readonly DocListing[] {
    return this.#options.listings;
  }

  /** Appends an intent to this person's outbox: kept here at once, sent when the server can be reached. */
  submit(intent: Intent): void {
    const outbox = [...this.#docs.values()].find((each) => each.listing.kind === 'outbox');
    if (!outbox) throw new Error('This person has no outbox');
    outbox.doc.getMap('intents').set(intent.id, intent);
  }

  /** Puts rejected changes away once the person has read them; kept on this device. */
  async dismiss(intentIds: readonly string[]): Promise<void> {
    for (const id of intentIds) this.#dismissed.add(id);
    this.#refreshStatus();
    try {
      await this.#options.storage.setDismissed([...this.#dismissed]);
    } catch (error) {
      this.#storageFailed(error);
    }
  }

  get status(): SyncStatus {
    return this.#status;
  }

  #onUpdate(local: LocalDoc, update: Uint8Array, origin: unknown): void {
    this.#options.onDocChange?.(local.listing.name);
    if (origin === FROM_STORAGE) return;
    void this.#persist(local, update);
    if (origin !== FROM_SERVER && local.listing.canWrite) this.#sendLocal(local, update);
    this.#refreshStatus();
  }

  async #persist(local: LocalDoc, update: Uint8Array): Promise<void> {
    try {
      await local.stored.persist(local.doc, update);
      if (this.#status.storageProblem !== null) this.#setStatus({ storageProblem: null });
    } catch (error) {
      this.#storageFailed(error);
    }
  }

  #storageFailed(error: unknown): void {
    this.#setStatus({ storageProblem: storageProblemWords(error) });
  }

  #sendLocal(local: LocalDoc, update: Uint8Array): void {
    if (this.#mode === 'http') {
      this.#schedule(POLL_SOON_MS);
      return;
    }
    // Changes made together (a whole list ticked at once) go as one frame, not one each.
    const queued = this.#unsent.get(local.listing.name) ?? [];
    queued.push(update);
    this.#unsent.set(local.listing.name, queued);
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = null;
      this.#flush();
    }, FLUSH_MS);
  }

  #flush(): void {
    const socket = this.#socket;
    const unsent = [...this.#unsent];
    this.#unsent.clear();
    // Offline: nothing is lost; the next connection's step 1 and 2 carry everything.
    if (socket?.readyState !== SOCKET_OPEN) return;
    for (const [name, updates] of unsent)
      socket.send(writeNamed(name, updateMessage(Y.mergeUpdates(updates))));
  }

  #connect(): void {
    if (this.#isStopped) return;
    if (this.#mode === 'http') {
      void this.#exchange();
      return;
    }
    this.#setStatus({ connection: 'connecting' });
    let socket: SocketLike;
    try {
      socket = this.#options.openSocket();
    } catch {
      this.#socketFailed();
      return;
    }
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    socket.onopen = () => {
      this.#awaitingStep2 = new Set(this.#docs.keys());
      this.#setStatus({ connection: 'online', transport: 'socket', isSyncing: true });
      for (const [name, local] of this.#docs)
        socket.send(writeNamed(name, step1Message(Y.encodeStateVector(local.doc))));
    };
    socket.onmessage = (event) => {
      // Only a socket that carries the server's words counts as working: some filtering proxies
      // accept the upgrade and then pass nothing.
      this.#failures = 0;
      this.#everOpened = true;
      if (event.data instanceof ArrayBuffer) this.#receive(new Uint8Array(event.data));
    };
    socket.onclose = (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (event.code === 4401) {
        this.#isStopped = true;
        this.#options.onSessionEnded();
        return;
      }
      this.#socketFailed();
    };
    socket.onerror = () => undefined;
  }

  #socketFailed(): void {
    this.#failures++;
    this.#setStatus({ connection: 'offline', isSyncing: false });
    if (!this.#everOpened && this.#failures >= SOCKET_FAILURES_BEFORE_HTTP) {
      // WebSockets never got through: a filtering proxy, most likely. Plain requests may.
      this.#mode = 'http';
      this.#failures = 0;
    }
    this.#schedule(this.#backoff());
  }

  /** Full jitter: anywhere from nothing to the exponential ceiling. */
  #backoff(): number {
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(this.#failures, 16));
    return Math.floor(this.#random() * ceiling);
  }

  #schedule(delay: number): void {
    if (this.#isStopped) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#connect();
    }, delay);
  }

  #receive(frame: Uint8Array): void {
    let name: string;
    let message: ReturnType<typeof readMessage>;
    try {
      const named = readNamed(frame);
      name = named.name;
      message = readMessage(named.message);
    } catch {
      return;
    }
    const local = this.#docs.get(name);
    if (!local) return;
    switch (message.kind) {
      case 'step1':
        local.serverVector = message.stateVector;
        if (local.listing.canWrite && this.#socket?.readyState === SOCKET_OPEN) {
          this.#socket.send(
            writeNamed(name, step2Message(Y.encodeStateAsUpdate(local.doc, message.stateVector))),
          );
        }
        return;
      case 'update':
        Y.applyUpdate(local.doc, message.update, FROM_SERVER);
        if (message.isStep2) this.#awaitingStep2.delete(name);
        this.#setStatus({ lastSyncedAt: this.#now().toISOString(), isSyncing: this.#awaitingStep2.size > 0 });
        return;
      default:
        return;
    }
  }

  /** One plain-HTTP exchange: what each document lacks comes back; the outbox's news goes out. */
  async #exchange(): Promise<void> {
    if (this.#isExchanging || this.#isStopped) return;
    this.#isExchanging = true;
    this.#setStatus({ isSyncing: true });
    try {
      const frames: Uint8Array[] = [];
      for (const [name, local] of this.#docs) {
        frames.push(writeNamed(name, step1Message(Y.encodeStateVector(local.doc))));
        if (local.listing.canWrite && local.serverVector) {
          const news = Y.encodeStateAsUpdate(local.doc, local.serverVector);
          if (!isEmptyUpdate(news)) frames.push(writeNamed(name, updateMessage(news)));
        }
      }
      const answer = await this.#options.exchange(writeBatch(frames));
      for (const frame of readBatch(answer, 10_000)) this.#receive(frame);
      this.#setStatus({
        connection: 'online',
        transport: 'http',
        isSyncing: false,
        lastSyncedAt: this.#now().toISOString(),
      });
      this.#failures = 0;
      this.#httpWorked = true;
      this.#exchanges++;
      if (this.#exchanges % PROBE_SOCKET_EVERY === 0) {
        // Now and then the socket is tried again: the network that broke it may have changed.
        this.#mode = 'socket';
        this.#failures = SOCKET_FAILURES_BEFORE_HTTP - 1;
      }
      const hasNews = [...this.#docs.values()].some(
        (local) =>
          local.listing.canWrite &&
          local.serverVector &&
          !isEmptyUpdate(Y.encodeStateAsUpdate(local.doc, local.serverVector)),
      );
      this.#schedule(hasNews ? POLL_SOON_MS : POLL_MS);
    } catch (error) {
      if (error instanceof SessionEndedError) {
        this.#isStopped = true;
        this.#options.onSessionEnded();
        return;
      }
      this.#failures++;
      // Neither way gets through: offline, not a filter. Keep trying both, further apart each time.
      if (!this.#httpWorked) this.#mode = 'socket';
      this.#setStatus({ connection: 'offline', isSyncing: false });
      this.#schedule(this.#backoff());
    } finally {
      this.#isExchanging = false;
    }
  }

  #refreshStatus(): void {
    const outbox = [...this.#docs.values()].find((each) => each.listing.kind === 'outbox');
    if (!outbox) return;
    const intents = outbox.doc.getMap<Intent>('intents');
    const verdicts = new Map(outbox.doc.getMap<Verdict>('verdicts').entries());
    this.#setStatus(outboxStatus(intents.entries(), verdicts, this.#dismissed));
  }

  #setStatus(change: Partial<SyncStatus>): void {
    this.#status = { ...this.#status, ...change };
    this.#options.onStatus(this.#status);
  }
}

/** Thrown by an exchange when the server says the session is over (401). */
export class SessionEndedError extends Error {
  constructor() {
    super('The session has ended');
    this.name = 'SessionEndedError';
  }
}
