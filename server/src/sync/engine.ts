import * as Y from 'yjs';
import {
  isEmptyUpdate,
  canReadDoc,
  canWriteDoc,
  parseDocName,
  type DocRef,
  type Principal,
  type Verdict,
} from '@schoolping/shared';
import type { AppContext } from '../http/env.ts';
import type { SignedIn } from '../http/session.ts';
import type { SyncStore } from '../db/sync-store/store.ts';
import { decideOnce } from '../intents/decide-once.ts';
import { RosterCache, rosterKey } from '../intents/roster-cache.ts';
import { Documents, type Written } from './documents.ts';
import { checkOutboxUpdate } from './outbox-check.ts';
import { projectEffects, writeVerdicts } from './projections.ts';
import { buildReadModel } from './read-models.ts';

export type OpenResult =
  | { readonly ok: true; readonly ref: DocRef; readonly written: Written }
  | { readonly ok: false; readonly reason: 'unknown-document' | 'forbidden' };

export type UpdateResult =
  /** Stored (or already held) and decided; `written` is for every subscriber, after commit. */
  | { readonly kind: 'stored'; readonly written: Written }
  /** A read model: clients do not write to it. Dropped, and logged when it held anything. */
  | { readonly kind: 'dropped' }
  /** Broke the outbox rules: dropped, logged, and the connection is to be closed. */
  | { readonly kind: 'refused'; readonly problem: string };

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

  constructor(context: AppContext, store: SyncStore, rosters = new RosterCache()) {
    this.#context = context;
    this.#store = store;
    this.#rosters = rosters;
    this.documents = new Documents(store);
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

  /** An update from a person to a document: only an outbox's owner may write, and only new intents. */
  receiveUpdate(signedIn: SignedIn, name: string, ref: DocRef, update: Uint8Array): UpdateResult {
    const { principal, user } = signedIn;
    if (!canWriteDoc(principal, ref)) {
      if (!isEmptyUpdate(update))
        this.#context.log(`sync: dropped an update to ${name} from user ${user.id}`);
      return { kind: 'dropped' };
    }
    const { clock, log } = this.#context;
    const school = this.#store.school(ref.schoolId);
    if (!school) return { kind: 'refused', problem: 'a school that does not exist' };
    // Set inside the transaction below, read after it commits.
    const deleted = { any: false };
    const result = this.documents.store.transaction((): UpdateResult => {
      const stored = this.documents.load(name);
      const check = checkOutboxUpdate(update, stored, String(user.id));
      stored.destroy();
      if (!check.ok) {
        log(`sync: refused an update to ${name} from user ${user.id}: ${check.problem}`);
        return { kind: 'refused', problem: check.problem };
      }
      if (check.intents.length === 0) return { kind: 'stored', written: new Map() };
      this.documents.store.append(name, check.update);
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
      const actor = {
        id: String(user.id),
        name: user.name,
        roles: principal.roles,
        contactId: principal.contactId,
      };
      const verdicts: Verdict[] = [];
      for (const intent of check.intents) {
        const decided = decideOnce(this.#store, school, { userId: user.id, actor }, intent, {
          now,
          rosters: this.#rosters,
          log,
        });
        if (!decided.isReplay) projectEffects(projection, decided.effects);
        deleted.any ||= decided.effects.some((effect) => effect.kind === 'messages-deleted');
        verdicts.push(decided.verdict);
      }
      writeVerdicts(projection, name, verdicts);
      const written = new Map(session.store());
      // The person's own devices get their intents too; every other subscriber gets the verdicts.
      const verdictUpdate = written.get(name);
      written.set(name, verdictUpdate ? mergeTwo(check.update, verdictUpdate) : check.update);
      return { kind: 'stored', written };
    });
    if (deleted.any) this.#store.dropErasedPages();
    if (result.kind === 'stored') this.#announce(result.written);
    return result;
  }
}

function mergeTwo(first: Uint8Array, second: Uint8Array): Uint8Array {
  return Y.mergeUpdates([first, second]);
}
