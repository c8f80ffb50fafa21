import type { DecisionReads, Effect, IsoDate, MisData, PersonStatus, Verdict } from '@schoolping/shared';
import type { SchoolRow } from '../school-store.ts';
import type { WalletRow } from '../wallet-rows.ts';

/*
 * Every SQL statement the sync engine needs (documents' stored updates, intents and their
 * verdicts, the effects of accepted intents, the rows read models are built from) sits behind
 * this one interface. The hub, the engine, the projections and the reducer's adapter never see a
 * database handle, so a PostgreSQL store for schools that outgrow one machine can stand in for
 * the SQLite one (`sqliteSyncStore`) without touching them.
 */

/** Documents' stored updates and the bookkeeping kept beside them. */
export interface DocStore {
  /** The document's stored updates, oldest first; none for a document never written. */
  updates(doc: string): Uint8Array[];
  append(doc: string, update: Uint8Array): void;
  /** Replaces every stored update of the document with one (a compaction). */
  replace(doc: string, update: Uint8Array): void;
  count(doc: string): number;
  /** The roster a read model was last built for, or null. */
  builtFor(doc: string): string | null;
  setBuiltFor(doc: string, rosterKey: string): void;
  /** The server's next clock in the document, when recorded. */
  serverClock(doc: string): number | null;
  setServerClock(doc: string, clock: number): void;
  /** Runs `work` in one transaction (nested calls become savepoints). */
  transaction<T>(work: () => T): T;
}

export interface StoredIntent {
  readonly userId: number;
  readonly verdict: Verdict;
}

export interface IntentRecord {
  readonly id: string;
  readonly seq: number;
  readonly userId: number;
  readonly type: string;
  readonly verdict: Verdict;
  readonly decidedAt: string;
}

/** Intents decided once each, with what the reducer reads and what its effects write. */
export interface IntentStore {
  intent(schoolId: number, intentId: string): StoredIntent | null;
  /** The sequence number the school's next decided intent takes. */
  nextIntentSeq(schoolId: number): number;
  recordIntent(schoolId: number, record: IntentRecord): void;
  /** The reducer's reads for one school, by indexed lookups inside the caller's transaction. */
  decisionReads(schoolId: number): DecisionReads;
  /** An accepted intent's effects, written inside the caller's transaction. */
  writeEffects(schoolId: number, effects: readonly Effect[]): void;
}

/** A `messages` row as the read models need it; the stamp and audience are JSON. */
export interface MessageRow {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly audience: string;
  readonly sent: string;
  readonly sent_at: string;
}

export interface InboxRow extends MessageRow {
  readonly pupil_ids: string;
  readonly read_at: string | null;
}

export interface SentRow extends MessageRow {
  readonly recipients: number;
  readonly reads: number;
}

export interface WalletWithBalance extends WalletRow {
  readonly balance: number;
}

/** The rows read models are built from. */
export interface ReadModelSource {
  school(schoolId: number): SchoolRow | null;
  /** Moves on whenever an ingest writes records or a block changes, in any thread or process. */
  rosterVersion(schoolId: number): number;
  roster(school: SchoolRow): MisData;
  /** A message not deleted, for Sent. */
  liveMessage(schoolId: number, messageId: string): MessageRow | null;
  /** Who sent a message and when, deleted or not. */
  messageStamp(
    schoolId: number,
    messageId: string,
  ): { readonly sent: string; readonly sentAt: string } | null;
  recipientCount(schoolId: number, messageId: string): number;
  readCount(schoolId: number, messageId: string): number;
  recipientsOf(schoolId: number, messageId: string): string[];
  /** Each recipient of a message, with the children it was about and when they read it. */
  recipientRows(
    schoolId: number,
    messageId: string,
  ): { readonly contactId: string; readonly pupilIds: readonly string[]; readonly readAt: string | null }[];
  /** A parent's messages not deleted, oldest first. */
  inboxRows(schoolId: number, contactId: string): InboxRow[];
  /** The school's messages not deleted, oldest first, with their counts. */
  sentRows(schoolId: number): SentRow[];
  /** When each message a parent still has was sent: which years of inbox they have. */
  inboxSentAts(schoolId: number, contactId: string): string[];
  hasWallet(schoolId: number, contactId: string): boolean;
  /** The statuses the daily run has applied, by `pupil:ID` and `contact:ID`, and the day it last ran. */
  appliedStatuses(schoolId: number): {
    readonly day: IsoDate | null;
    readonly statuses: ReadonlyMap<string, PersonStatus>;
  };
  /** A wallet's latest ledger entries, newest first. */
  recentEntries(
    schoolId: number,
    walletId: string,
    limit: number,
  ): { readonly at: string; readonly kind: string; readonly amount: number; readonly description: string }[];
  /** Every wallet of the school, or the one asked for, with its balance. */
  walletRows(schoolId: number, walletId?: string): WalletWithBalance[];
}

export interface SyncStore extends DocStore, IntentStore, ReadModelSource {
  /** After an erasure: the write-ahead log still holds old pages; fold it into the file and empty it. */
  dropErasedPages(): void;
}
