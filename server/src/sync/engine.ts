import * as Y from 'yjs';
import {
  academicYearOf,
  docsFor,
  effectiveDay,
  isEmptyUpdate,
  canReadDoc,
  canWriteDoc,
  parseDocName,
  type DocListing,
  type DocRef,
  type Intent,
  type MessageRecipient,
  type Principal,
  type Verdict,
} from '@schoolping/shared';
import type { AppContext } from '../http/env.ts';
import type { SignedIn } from '../http/session.ts';
import type { SchoolRow } from '../db/school-store.ts';
import type { SyncStore } from '../db/sync-store/store.ts';
import { decideOnce, type IntentSource } from '../intents/decide-once.ts';
import { RosterCache, rosterKey } from '../intents/roster-cache.ts';
import { Documents, type Written } from './documents.ts';
import { checkOutboxUpdate } from './outbox-check.ts';
import { projectEffects, writeVerdicts } from './projections.ts';
import { academicYearAt, buildReadModel, childLabel } from './read-models.ts';

export type OpenResult =
  | { readonly ok: true; readonly ref: DocRef; readonly written: Written }
  | { readonly ok: false; readonly reason: 'unknown-document' | 'forbidden' };

export type UpdateResult =
  /** Stored (or already held) and decided; `written` is for every subscriber, after commit. */
  | { readonly kind: 'stored'; readonly written: Written }
  /** A read model: clients do not write to it. Dropped, and logged when it held anything. */
  | { readonly kind: 'dropped' }
  /** Broke the outbox rules: dropped, logged, and the connection is to be closed. */
  | { readonly kind: 'refused'; readonly problem: string }
  /** The server is stopping: what was decided is committed, the rest waits for the device's resend. */
  | { readonly kind: 'stopped' };

/** How a backlog of intents is cut into transactions. */
export interface BatchLimits {
  /** A batch ends after the intent that takes it past this long. */
  readonly budgetMs: number;
  readonly maxIntents: number;
}

/** Short enough that a request arriving meanwhile is answered without a noticeable wait. */
const DEFAULT_BATCH: BatchLimits = { budgetMs: 20, maxIntents: 500 };

/**
 * What the sync transports share: opening documents (building read models from the tables the
 * first time, and again when the roster moved on) and taking updates from people. The transports
 * (one document per socket, many per socket, plain HTTP) only frame bytes around it.
 */
export class SyncEngine {
  readonly documents: Documents;
  readonly #context: AppContext;
  readonly #store: SyncStore;
  readonly #rosters: RosterCache;
  readonly #batch: BatchLimits;
  #stopped = false;

  readonly #listeners = new Set<(written: Written) => void>();

  /**
   * Hears every committed change, whichever transport brought it (a socket, plain HTTP, the
   * roster moving on), so each subscriber of a document gets it. Returns a stop function.
   */
  onWritten(listener: (written: Written) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #announce(written: Written): Written {
    if (written.size > 0) for (const listener of this.#listeners) listener(written);
    return written;
  }

  constructor(
    context: AppContext,
    store: SyncStore,
    rosters = new RosterCache(),
    batch: BatchLimits = DEFAULT_BATCH,
  ) {
    this.#context = context;
    this.#store = store;
    this.#rosters = rosters;
    this.#batch = batch;
    this.documents = new Documents(store);
  }

  /** The documents a person may open: this year's and every year their inbox holds messages from. */
  listDocs(principal: Principal): DocListing[] {
    const years = new Set<number>([academicYearOf(effectiveDay(this.#context.clock()))]);
    let hasWallet = false;
    if (principal.contactId !== null) {
      for (const sentAt of this.#store.inboxSentAts(principal.schoolId, principal.contactId))
        years.add(academicYearAt(sentAt));
      hasWallet = this.#store.hasWallet(principal.schoolId, principal.contactId);
    }
    const inboxYears = [...years].sort((a, b) => b - a);
    return docsFor(principal, { inboxYears, hasWallet });
  }

  /**
   * Who a message went to (names from today's roster), the children it was about, and when each
   * read it; null when the school holds no such message, or it was deleted.
   */
  messageRecipients(principal: Principal, messageId: string): MessageRecipient[] | null {
    const school = this.#store.school(principal.schoolId);
    if (!school || !this.#store.liveMessage(school.id, messageId)) return null;
    const roster = this.#rosters.viewFor(this.#store, school, this.#context.clock());
    return this.#store
      .recipientRows(school.id, messageId)
      .map((row) => {
        const contact = roster.contacts.get(row.contactId);
        return {
          contactId: row.contactId,
          name: contact ? `${contact.forename} ${contact.surname}` : 'A contact no longer listed',
          children: row.pupilIds.map((pupilId) => childLabel(roster, pupilId).name),
          readAt: row.readAt,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  open(principal: Principal, name: string): OpenResult {
    const ref = parseDocName(name);
    if (!ref) return { ok: false, reason: 'unknown-document' };
    if (!canReadDoc(principal, ref)) return { ok: false, reason: 'forbidden' };
    return { ok: true, ref, written: ref.kind === 'outbox' ? new Map() : this.#refresh(name, ref) };
  }

  /**
   * Brings an open read model up to the current roster after an ingest or the daily run (which
   * happen in another thread); nothing is written when it is current.
   */
  refresh(name: string): Written {
    const ref = parseDocName(name);
    return ref && ref.kind !== 'outbox' ? this.#refresh(name, ref) : new Map();
  }

  /** Builds a read model whole, or brings it up to the current roster; only changes are written. */
  #refresh(name: string, ref: DocRef): Written {
    const school = this.#store.school(ref.schoolId);
    if (!school) return new Map();
    const roster = this.#rosters.viewFor(this.#store, school, this.#context.clock());
    const key = rosterKey(roster.day, this.#store.rosterVersion(school.id));
    const store = this.documents.store;
    if (store.builtFor(name) === key && this.documents.exists(name)) return new Map();
    const written = store.transaction(() => {
      const session = this.documents.begin();
      session.change(name, (ydoc) => {
        buildReadModel(this.#store, ydoc, ref, roster);
      });
      const stored = session.store();
      store.setBuiltFor(name, key);
      return stored;
    });
    return this.#announce(written);
  }

  /**
   * An update from a person to a document: only an outbox's owner may write, and only new intents.
   * Its intents are decided in order, in batches of one transaction each (a batch ends once it has
   * taken `budgetMs`, or holds `maxIntents`), with the event loop free between batches: a device
   * back from weeks offline does not hold up everyone else's requests. Each batch's verdicts and
   * projections are committed and announced together. The update itself is stored with the last
   * batch; should the process stop before then, the device sends it again, and the intents
   * already decided get their stored verdicts back.
   */
  async receiveUpdate(
    signedIn: SignedIn,
    name: string,
    ref: DocRef,
    update: Uint8Array,
  ): Promise<UpdateResult> {
    const { principal, user } = signedIn;
    if (!canWriteDoc(principal, ref)) {
      if (!isEmptyUpdate(update))
        this.#context.log(`sync: dropped an update to ${name} from user ${user.id}`);
      return { kind: 'dropped' };
    }
    const { log } = this.#context;
    const school = this.#store.school(ref.schoolId);
    if (!school) return { kind: 'refused', problem: 'a school that does not exist' };
    const stored = this.documents.load(name);
    const check = checkOutboxUpdate(update, stored, String(user.id));
    stored.destroy();
    if (!check.ok) {
      log(`sync: refused an update to ${name} from user ${user.id}: ${check.problem}`);
      return { kind: 'refused', problem: check.problem };
    }
    if (check.intents.length === 0) return { kind: 'stored', written: new Map() };
    const source = {
      userId: user.id,
      actor: {
        id: String(user.id),
        name: user.name,
        roles: principal.roles,
        contactId: principal.contactId,
        isReadOnly: principal.isReadOnly,
      },
    };
    const written = new Map<string, Uint8Array>();
    let next = 0;
    for (;;) {
      if (this.#stopped) return { kind: 'stopped' };
      const batch = this.#decideBatch(school, name, source, check, next);
      next = batch.next;
      for (const [doc, change] of batch.written) {
        const earlier = written.get(doc);
        written.set(doc, earlier ? mergeTwo(earlier, change) : change);
      }
      if (next >= check.intents.length) return { kind: 'stored', written };
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Decides intents from `from` on in one transaction until the batch is full; announces them. */
  #decideBatch(
    school: SchoolRow,
    name: string,
    source: IntentSource,
    check: { readonly intents: readonly Intent[]; readonly update: Uint8Array },
    from: number,
  ): { readonly written: Written; readonly next: number } {
    const { clock, log } = this.#context;
    const started = performance.now();
    // Set inside the transaction below, read after it commits.
    const deleted = { any: false };
    const result = this.documents.store.transaction(() => {
      const now = clock();
      const roster = this.#rosters.viewFor(this.#store, school, now);
      const session = this.documents.begin();
      const projection = {
        store: this.#store,
        schoolId: school.id,
        roster,
        documents: this.documents,
        session,
      };
      const verdicts: Verdict[] = [];
      let next = from;
      while (next < check.intents.length) {
        const intent = check.intents[next];
        if (!intent) break;
        const decided = decideOnce(this.#store, school, source, intent, { now, rosters: this.#rosters, log });
        if (!decided.isReplay) projectEffects(projection, decided.effects);
        deleted.any ||= decided.effects.some((effect) => effect.kind === 'messages-deleted');
        verdicts.push(decided.verdict);
        next++;
        const full = next - from >= this.#batch.maxIntents;
        if (full || performance.now() - started >= this.#batch.budgetMs) break;
      }
      writeVerdicts(projection, name, verdicts);
      const written = new Map(session.store());
      if (next >= check.intents.length) {
        this.documents.store.append(name, check.update);
        // The person's own devices get their intents too; every other subscriber the verdicts.
        const verdictUpdate = written.get(name);
        written.set(name, verdictUpdate ? mergeTwo(check.update, verdictUpdate) : check.update);
      }
      return { written, next };
    });
    if (deleted.any) this.#store.dropErasedPages();
    this.#announce(result.written);
    return result;
  }

  /**
   * Stops deciding: a backlog being decided stops at its next batch (its device sends it again to
   * the next start), so the database can close. Nothing committed is undone.
   */
  stop(): void {
    this.#stopped = true;
  }
}

function mergeTwo(first: Uint8Array, second: Uint8Array): Uint8Array {
  return Y.mergeUpdates([first, second]);
}
