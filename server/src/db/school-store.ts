import type { LedgerEntry, MisData, SchoolInfo, Wallet, WalletBook } from '@schoolping/shared';
import { loadRecordMaps, type RecordMaps } from './mis-records.ts';
import type { Db } from './database.ts';

export interface SchoolRow {
  readonly id: number;
  readonly name: string;
  readonly estab: string;
}

export function listSchools(db: Db): SchoolRow[] {
  return db.prepare('SELECT id, name, estab FROM schools ORDER BY id').all() as SchoolRow[];
}

export function schoolById(db: Db, id: number): SchoolRow | null {
  return (
    (db.prepare('SELECT id, name, estab FROM schools WHERE id = ?').get(id) as SchoolRow | undefined) ?? null
  );
}

export function createSchool(db: Db, info: SchoolInfo, now: Date): SchoolRow {
  const result = db
    .prepare('INSERT INTO schools (name, estab, created_at) VALUES (?, ?, ?)')
    .run(info.name, info.estab, now.toISOString());
  return { id: Number(result.lastInsertRowid), name: info.name, estab: info.estab };
}

/** The roster as stored, with the school's own do-not-contact blocks applied. */
export function loadRoster(db: Db, school: SchoolRow): MisData {
  return toMisData(school, loadRecordMaps(db, school.id), blockedContacts(db, school.id));
}

/** A block recorded at the school outlives every re-ingest: it is applied on reading, never stored in the MIS copy. */
export function blockedContacts(db: Db, schoolId: number): ReadonlySet<string> {
  const rows = db.prepare('SELECT contact_id FROM contact_blocks WHERE school_id = ?').all(schoolId) as {
    contact_id: string;
  }[];
  return new Set(rows.map((row) => row.contact_id));
}

export function toMisData(school: SchoolRow, maps: RecordMaps, blocked: ReadonlySet<string>): MisData {
  return {
    school: { name: school.name, estab: school.estab },
    pupils: [...maps.pupil.values()],
    contacts: [...maps.contact.values()].map((contact) =>
      blocked.has(contact.id) ? { ...contact, doNotContact: true } : contact,
    ),
    links: [...maps.link.values()],
    groups: [...maps.group.values()],
    memberships: [...maps.membership.values()],
    staff: [...maps.staff.values()],
  };
}

export function saveWalletBook(db: Db, schoolId: number, book: WalletBook): void {
  const insertWallet = db.prepare(
    'INSERT INTO wallets (school_id, id, contact_id, status, closed, settled) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertEntry = db.prepare(
    `INSERT INTO ledger_entries (school_id, id, wallet_id, kind, amount, at, description, flag)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const wallet of Object.values(book.wallets)) {
    const closed = wallet.closed ? JSON.stringify(wallet.closed) : null;
    const settled = wallet.settled ? JSON.stringify(wallet.settled) : null;
    insertWallet.run(schoolId, wallet.id, wallet.contactId, wallet.status, closed, settled);
  }
  for (const entries of Object.values(book.entries)) {
    for (const e of entries)
      insertEntry.run(schoolId, e.id, e.walletId, e.kind, e.amount, e.at, e.description, e.flag);
  }
}

interface WalletRow {
  id: string;
  contact_id: string;
  status: Wallet['status'];
  closed: string | null;
  settled: string | null;
}

interface EntryRow {
  id: string;
  wallet_id: string;
  kind: LedgerEntry['kind'];
  amount: number;
  at: string;
  description: string;
  flag: LedgerEntry['flag'];
}

export function loadWalletBook(db: Db, schoolId: number): WalletBook {
  const wallets: Record<string, Wallet> = {};
  const entries: Record<string, LedgerEntry[]> = {};
  const walletRows = db.prepare('SELECT * FROM wallets WHERE school_id = ?').all(schoolId) as WalletRow[];
  for (const row of walletRows) {
    wallets[row.id] = {
      id: row.id,
      contactId: row.contact_id,
      status: row.status,
      closed: row.closed ? (JSON.parse(row.closed) as Wallet['closed']) : null,
      settled: row.settled ? (JSON.parse(row.settled) as Wallet['settled']) : null,
    };
    entries[row.id] = [];
  }
  const entryRows = db
    .prepare('SELECT * FROM ledger_entries WHERE school_id = ? ORDER BY seq')
    .all(schoolId) as EntryRow[];
  for (const row of entryRows) {
    const entry: LedgerEntry = {
      id: row.id,
      walletId: row.wallet_id,
      kind: row.kind,
      amount: row.amount as LedgerEntry['amount'],
      at: row.at,
      description: row.description,
      flag: row.flag,
    };
    (entries[row.wallet_id] ??= []).push(entry);
  }
  return { wallets, entries };
}
