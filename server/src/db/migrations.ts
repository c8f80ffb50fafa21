/**
 * Schema migrations, applied in order, each once, each in a transaction. Append only: a released
 * migration is never edited, because databases in schools already ran it.
 */
export const MIGRATIONS: readonly string[] = [
  /* 1: schools, the roster as last received, wallets and their append-only ledger */ `
  CREATE TABLE schools (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    estab TEXT NOT NULL UNIQUE CHECK (estab GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    created_at TEXT NOT NULL
  );

  -- Keyed by the MIS's own ids; links and memberships by the ids they join.
  CREATE TABLE mis_records (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL CHECK (kind IN ('pupil', 'contact', 'link', 'group', 'membership', 'staff')),
    mis_id TEXT NOT NULL,
    data TEXT NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (school_id, kind, mis_id)
  );

  CREATE TABLE wallets (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'settled')),
    closed TEXT CHECK (closed IS NULL OR json_valid(closed)),
    settled TEXT CHECK (settled IS NULL OR json_valid(settled)),
    PRIMARY KEY (school_id, id)
  ) WITHOUT ROWID;

  -- The domain rule lives in shared/; this is the last line of defence if code ever slips.
  CREATE TRIGGER wallets_never_reopen BEFORE UPDATE OF status ON wallets
  WHEN OLD.status <> 'open' AND (NEW.status = 'open' OR (OLD.status = 'settled' AND NEW.status <> 'settled'))
  BEGIN SELECT RAISE(ABORT, 'a closed wallet cannot be re-opened'); END;

  CREATE TABLE ledger_entries (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    id TEXT NOT NULL,
    wallet_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('top-up', 'charge', 'refund', 'adjustment')),
    amount INTEGER NOT NULL CHECK (typeof(amount) = 'integer'),
    at TEXT NOT NULL,
    description TEXT NOT NULL,
    flag TEXT CHECK (flag IS NULL OR flag = 'after-close'),
    UNIQUE (school_id, id),
    FOREIGN KEY (school_id, wallet_id) REFERENCES wallets(school_id, id)
  );

  CREATE TRIGGER ledger_entries_append_only_update BEFORE UPDATE ON ledger_entries
  BEGIN SELECT RAISE(ABORT, 'ledger entries are never changed'); END;
  CREATE TRIGGER ledger_entries_append_only_delete BEFORE DELETE ON ledger_entries
  BEGIN SELECT RAISE(ABORT, 'ledger entries are never removed'); END;
  `,
];
