import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDatabase } from '../../test/temp-database.ts';
import { ephemeralKeyring } from '../secrets/keyring.ts';
import { openDatabase, UnknownSchemaError } from './database.ts';
import { MIGRATIONS } from './migrations.ts';

let cleanup = (): void => undefined;
afterEach(() => {
  cleanup();
});

describe('openDatabase', () => {
  it('creates the file in WAL mode at the latest schema version', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    expect(temp.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(temp.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('refuses a database written by a newer release and leaves it untouched', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    temp.db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    temp.db.close();
    expect(() => openDatabase(temp.dataDir, ephemeralKeyring())).toThrow(UnknownSchemaError);
    const raw = new Database(join(temp.dataDir, 'schoolping.sqlite'));
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 1);
    raw.close();
  });

  it('reopens an existing file without migrating it again', () => {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    temp.db.prepare("INSERT INTO schools (name, estab, created_at) VALUES ('A', '1234567', 'now')").run();
    temp.db.close();
    const again = openDatabase(temp.dataDir, ephemeralKeyring());
    expect(again.prepare('SELECT count(*) AS n FROM schools').get()).toEqual({ n: 1 });
    again.close();
  });
});

describe('storage guards', () => {
  function withWallet(status: string) {
    const temp = tempDatabase();
    cleanup = temp.cleanup;
    const { db } = temp;
    db.prepare("INSERT INTO schools (id, name, estab, created_at) VALUES (1, 'A', '1234567', 'now')").run();
    db.prepare("INSERT INTO wallets (school_id, id, contact_id, status) VALUES (1, 'W1', 'C1', ?)").run(
      status,
    );
    return db;
  }

  it('never lets a closed or settled wallet become open again', () => {
    const db = withWallet('closed');
    expect(() => db.prepare("UPDATE wallets SET status = 'open'").run()).toThrow(/cannot be re-opened/);
    db.prepare("UPDATE wallets SET status = 'settled'").run();
    expect(() => db.prepare("UPDATE wallets SET status = 'closed'").run()).toThrow(/cannot be re-opened/);
  });

  it('never lets a closed wallet be removed, replaced by an open one, or its stamps rewritten', () => {
    const db = withWallet('open');
    db.prepare(
      `UPDATE wallets SET status = 'closed', closed = '{"at":"2027-07-23","by":"user:1"}' WHERE id = 'W1'`,
    ).run();
    expect(() => db.prepare("DELETE FROM wallets WHERE id = 'W1'").run()).toThrow(/never removed/);
    expect(() =>
      db
        .prepare(
          "INSERT OR REPLACE INTO wallets (school_id, id, contact_id, status) VALUES (1, 'W1', 'C1', 'open')",
        )
        .run(),
    ).toThrow(/cannot be re-opened/);
    expect(() => db.prepare(`UPDATE wallets SET closed = '{"at":"2027-01-01","by":"user:2"}'`).run()).toThrow(
      /never rewritten/,
    );
    expect(() => db.prepare('UPDATE wallets SET closed = NULL').run()).toThrow(/never rewritten/);
    db.prepare(
      `UPDATE wallets SET status = 'settled', settled = '{"at":"2027-07-30","by":"user:1"}' WHERE id = 'W1'`,
    ).run();
    expect(() =>
      db.prepare(`UPDATE wallets SET settled = '{"at":"2027-08-01","by":"user:1"}'`).run(),
    ).toThrow(/never rewritten/);
    // An open wallet is still the school's to tidy.
    db.prepare(
      "INSERT INTO wallets (school_id, id, contact_id, status) VALUES (1, 'W2', 'C2', 'open')",
    ).run();
    db.prepare("DELETE FROM wallets WHERE id = 'W2'").run();
  });

  it('keeps ledger entries append-only and in whole pence', () => {
    const db = withWallet('open');
    const insert = db.prepare(
      "INSERT INTO ledger_entries (school_id, id, wallet_id, kind, amount, at, description) VALUES (1, ?, 'W1', 'top-up', ?, 'now', 'x')",
    );
    insert.run('E1', 500);
    expect(() => insert.run('E2', 1.5)).toThrow(/CHECK/);
    expect(() => insert.run('E1', 100)).toThrow(/UNIQUE/);
    expect(() => db.prepare('UPDATE ledger_entries SET amount = 0').run()).toThrow(/never changed/);
    expect(() => db.prepare('DELETE FROM ledger_entries').run()).toThrow(/never removed/);
  });
});
