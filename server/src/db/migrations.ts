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
  /* 2: MIS ingest: keys, runs, held snapshots, manual blocks, the applied roster state, the change log */ `
  ALTER TABLE schools ADD COLUMN late_after_hours INTEGER NOT NULL DEFAULT 26 CHECK (late_after_hours > 0);
  -- Digest of the last applied batch: the same feed again is known unchanged without a merge.
  ALTER TABLE schools ADD COLUMN last_batch_digest TEXT;

  -- Only a hash is kept: a leaked database does not leak a key that can push data.
  CREATE TABLE ingest_keys (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    key_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
  );

  CREATE TABLE ingest_runs (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    source TEXT NOT NULL CHECK (source IN ('xporter', 'oneroster', 'xporter-pull')),
    mode TEXT CHECK (mode IS NULL OR mode IN ('full', 'delta')),
    outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'held', 'rejected', 'failed')),
    received_at TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    counts TEXT NOT NULL CHECK (json_valid(counts)),
    warnings TEXT NOT NULL CHECK (json_valid(warnings)),
    errors TEXT NOT NULL CHECK (json_valid(errors))
  );
  CREATE INDEX ingest_runs_by_school ON ingest_runs (school_id, id);

  CREATE TABLE held_snapshots (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    run_id INTEGER NOT NULL REFERENCES ingest_runs(id),
    batch TEXT NOT NULL CHECK (json_valid(batch)),
    digest TEXT NOT NULL,
    missing INTEGER NOT NULL,
    on_roll INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'held' CHECK (status IN ('held', 'accepted', 'discarded')),
    decided_at TEXT
  );

  -- Recorded at the school, not in the MIS: it survives every re-ingest.
  CREATE TABLE contact_blocks (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    contact_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (school_id, contact_id)
  );

  -- What the daily job last applied, so the next run records only what changed.
  CREATE TABLE roster_state (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL CHECK (kind IN ('pupil', 'contact')),
    mis_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'leaver')),
    registration_group_id TEXT,
    PRIMARY KEY (school_id, kind, mis_id)
  );

  CREATE TABLE change_log (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    day TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('joined', 'left', 'moved', 'returned')),
    kind TEXT NOT NULL CHECK (kind IN ('pupil', 'contact')),
    mis_id TEXT NOT NULL,
    detail TEXT NOT NULL CHECK (json_valid(detail))
  );
  CREATE INDEX change_log_by_day ON change_log (school_id, day);

  -- Pulling from Xporter on Demand. The secret must be usable by the server, so it is stored as
  -- given: protect the data folder as you would the MIS credentials themselves.
  CREATE TABLE xod_connections (
    school_id INTEGER PRIMARY KEY REFERENCES schools(id),
    base_url TEXT NOT NULL,
    token_url TEXT NOT NULL,
    xod_estab TEXT NOT NULL,
    relying_party TEXT NOT NULL,
    secret TEXT NOT NULL,
    every_hours INTEGER NOT NULL DEFAULT 4 CHECK (every_hours BETWEEN 1 AND 24)
  );

  CREATE TABLE daily_runs (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    day TEXT NOT NULL,
    ran_at TEXT NOT NULL,
    PRIMARY KEY (school_id, day)
  );
  `,
  /* 3: identity: accounts, activation codes, sessions, second factor, the audit log */ `
  -- The demo school turns this off so its printed sign-ins work at once; real schools keep it on.
  ALTER TABLE schools ADD COLUMN require_admin_mfa INTEGER NOT NULL DEFAULT 1 CHECK (require_admin_mfa IN (0, 1));

  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    kind TEXT NOT NULL CHECK (kind IN ('staff', 'parent')),
    -- The MIS staff id or contact id this account stands for, when there is one.
    mis_id TEXT,
    email TEXT NOT NULL COLLATE NOCASE UNIQUE,
    name TEXT NOT NULL,
    roles TEXT NOT NULL CHECK (json_valid(roles)),
    password_hash TEXT,
    totp_secret TEXT,
    totp_enabled INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    -- A secret being set up stays apart until its first code is proved: setup never weakens a working factor.
    totp_pending_secret TEXT,
    -- The last 30-second step accepted: a code works once.
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    UNIQUE (school_id, kind, mis_id)
  );

  CREATE TABLE activation_codes (
    code_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
  );

  CREATE TABLE recovery_codes (
    code_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    used_at TEXT
  );

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    -- Signed in with a password only while a second factor is still to be set up.
    needs_mfa_setup INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX sessions_by_user ON sessions (user_id);

  -- Append only. Each row carries the hash of the one before, so an edited or removed row shows.
  CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    detail TEXT NOT NULL CHECK (json_valid(detail)),
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
  `,
  /* 4: the audit chain is an HMAC chain under the server key; each row names the key it used */ `
  ALTER TABLE audit_log ADD COLUMN key_id TEXT;
  `,
  /* 5: the server keys this database was sealed with, by fingerprint: a different key is refused */ `
  CREATE TABLE server_keys (
    id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    added_at TEXT NOT NULL
  );
  `,
  /* 6: a closed wallet can be neither removed, replaced by a new open one, nor have its stamps rewritten */ `
  CREATE TRIGGER wallets_never_removed_once_closed BEFORE DELETE ON wallets
  WHEN OLD.status <> 'open'
  BEGIN SELECT RAISE(ABORT, 'a closed wallet is never removed'); END;

  -- INSERT OR REPLACE deletes without firing delete triggers: refuse the insert while the closed row stands.
  CREATE TRIGGER wallets_never_replaced_once_closed BEFORE INSERT ON wallets
  WHEN EXISTS (SELECT 1 FROM wallets WHERE school_id = NEW.school_id AND id = NEW.id AND status <> 'open')
  BEGIN SELECT RAISE(ABORT, 'a closed wallet cannot be re-opened'); END;

  CREATE TRIGGER wallets_closed_stamp_fixed BEFORE UPDATE OF closed ON wallets
  WHEN OLD.closed IS NOT NULL AND NEW.closed IS NOT OLD.closed
  BEGIN SELECT RAISE(ABORT, 'when and by whom a wallet was closed is never rewritten'); END;

  CREATE TRIGGER wallets_settled_stamp_fixed BEFORE UPDATE OF settled ON wallets
  WHEN OLD.settled IS NOT NULL AND NEW.settled IS NOT OLD.settled
  BEGIN SELECT RAISE(ABORT, 'when and by whom a wallet was settled is never rewritten'); END;
  `,
  /* 7: intents decided once each, messages and their recipients, the documents' stored updates */ `
  -- Any change to the roster a decision reads (records, blocks) moves this on: cached views are
  -- keyed by it, so a cache never serves a roster from before an ingest.
  ALTER TABLE schools ADD COLUMN roster_version INTEGER NOT NULL DEFAULT 0;
  CREATE TRIGGER contact_blocks_bump_insert AFTER INSERT ON contact_blocks
  BEGIN UPDATE schools SET roster_version = roster_version + 1 WHERE id = NEW.school_id; END;
  CREATE TRIGGER contact_blocks_bump_update AFTER UPDATE ON contact_blocks
  BEGIN UPDATE schools SET roster_version = roster_version + 1 WHERE id = NEW.school_id; END;
  CREATE TRIGGER contact_blocks_bump_delete AFTER DELETE ON contact_blocks
  BEGIN UPDATE schools SET roster_version = roster_version + 1 WHERE id = OLD.school_id; END;

  -- Each intent id once per school, with the verdict it got: a replay is answered from here.
  CREATE TABLE intents (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    type TEXT NOT NULL,
    verdict TEXT NOT NULL CHECK (json_valid(verdict)),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (school_id, id),
    UNIQUE (school_id, seq)
  );
  CREATE TRIGGER intents_final_update BEFORE UPDATE ON intents
  BEGIN SELECT RAISE(ABORT, 'a verdict is never changed'); END;
  CREATE TRIGGER intents_final_delete BEFORE DELETE ON intents
  BEGIN SELECT RAISE(ABORT, 'a verdict is never removed'); END;

  CREATE TABLE messages (
    school_id INTEGER NOT NULL REFERENCES schools(id),
    id TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    audience TEXT NOT NULL CHECK (json_valid(audience)),
    sent TEXT NOT NULL CHECK (json_valid(sent)),
    sent_at TEXT NOT NULL,
    deleted TEXT CHECK (deleted IS NULL OR json_valid(deleted)),
    -- A deleted message keeps no words.
    CHECK (deleted IS NULL OR (subject = '' AND body = '')),
    PRIMARY KEY (school_id, id)
  ) WITHOUT ROWID;
  CREATE TRIGGER messages_stay_deleted BEFORE UPDATE OF deleted ON messages
  WHEN OLD.deleted IS NOT NULL
  BEGIN SELECT RAISE(ABORT, 'a deleted message stays deleted'); END;

  CREATE TABLE message_recipients (
    school_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    pupil_ids TEXT NOT NULL CHECK (json_valid(pupil_ids)),
    read_at TEXT,
    PRIMARY KEY (school_id, message_id, contact_id),
    FOREIGN KEY (school_id, message_id) REFERENCES messages(school_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX message_recipients_by_contact ON message_recipients (school_id, contact_id);

  -- A wallet's balance is the sum of its entries: read for every decision and read model.
  CREATE INDEX ledger_entries_by_wallet ON ledger_entries (school_id, wallet_id, amount);

  -- Yjs updates per document, appended; compaction replaces a document's rows with one.
  CREATE TABLE doc_updates (
    id INTEGER PRIMARY KEY,
    doc TEXT NOT NULL,
    data BLOB NOT NULL
  );
  CREATE INDEX doc_updates_by_doc ON doc_updates (doc, id);

  -- Which roster (day and version) each read model was last built for: after a restart, only the
  -- documents the roster has moved past are rebuilt.
  CREATE TABLE doc_builds (
    doc TEXT PRIMARY KEY,
    roster_key TEXT NOT NULL
  ) WITHOUT ROWID;

  -- The server's next clock in each document it writes: a new entry can then be written without
  -- loading the document (a message reaching every inbox of a school).
  CREATE TABLE doc_clocks (
    doc TEXT PRIMARY KEY,
    clock INTEGER NOT NULL CHECK (clock >= 0)
  ) WITHOUT ROWID;
  `,
  // 8: reaching parents who are not looking. Push subscriptions per device (tied to the session
  // that made them, so a sign-out removes them), and one notification per message and parent,
  // queued in the transaction that sent the message, so none is lost.
  `
  CREATE TABLE push_subscriptions (
    endpoint TEXT PRIMARY KEY,
    school_id INTEGER NOT NULL REFERENCES schools(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    session_id_hash TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX push_subscriptions_by_user ON push_subscriptions (user_id);
  CREATE INDEX push_subscriptions_by_session ON push_subscriptions (session_id_hash);
  -- A device's subscription goes with the session that made it: signing out stops its pushes.
  CREATE TRIGGER push_subscriptions_end_with_session AFTER DELETE ON sessions BEGIN
    DELETE FROM push_subscriptions WHERE session_id_hash = OLD.id_hash;
  END;

  CREATE TABLE notifications (
    school_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'pushed', 'emailed', 'unreached', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at TEXT NOT NULL,
    last_error TEXT,
    done_at TEXT,
    PRIMARY KEY (school_id, message_id, contact_id),
    FOREIGN KEY (school_id, message_id) REFERENCES messages(school_id, id)
  ) WITHOUT ROWID;
  CREATE INDEX notifications_due ON notifications (status, next_at);

  -- Whether an email that a message is waiting may carry the message itself (off: only a pointer).
  ALTER TABLE schools ADD COLUMN email_includes_text INTEGER NOT NULL DEFAULT 0
    CHECK (email_includes_text IN (0, 1));
  `,
  /* 9: the daily run's statuses reach the directory (the leavers check on a device); held snapshots' names */ `
  -- A daily run changes the applied statuses the directory carries: cached views move on with it.
  CREATE TRIGGER daily_runs_bump AFTER INSERT ON daily_runs
  BEGIN UPDATE schools SET roster_version = roster_version + 1 WHERE id = NEW.school_id; END;

  -- Who a held snapshot would take off the roll ({count, names}), for the admin deciding on a screen.
  ALTER TABLE held_snapshots ADD COLUMN removals TEXT NOT NULL DEFAULT '{"count":0,"names":[]}';
  `,
];
