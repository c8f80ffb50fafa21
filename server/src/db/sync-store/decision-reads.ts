import type { DecisionReads, Pence, SentMessage, Stamp } from '@schoolping/shared';
import type { Db } from '../database.ts';
import { walletFromRow, type WalletRow } from '../wallet-rows.ts';

/** The reducer's reads, answered by indexed lookups inside the intent's transaction. */
export function sqliteDecisionReads(db: Db): (schoolId: number) => DecisionReads {
  const wallet = db.prepare(
    'SELECT id, contact_id, status, closed, settled FROM wallets WHERE school_id = ? AND id = ?',
  );
  const balance = db
    .prepare('SELECT COALESCE(SUM(amount), 0) FROM ledger_entries WHERE school_id = ? AND wallet_id = ?')
    .pluck();
  const message = db.prepare('SELECT id, sent, deleted FROM messages WHERE school_id = ? AND id = ?');
  const recipient = db.prepare(
    'SELECT read_at FROM message_recipients WHERE school_id = ? AND message_id = ? AND contact_id = ?',
  );
  return (schoolId) => ({
    wallet(walletId) {
      const row = wallet.get(schoolId, walletId) as WalletRow | undefined;
      return row ? walletFromRow(row) : null;
    },
    balance: (walletId) => balance.get(schoolId, walletId) as Pence,
    message(messageId): SentMessage | null {
      const row = message.get(schoolId, messageId) as
        { id: string; sent: string; deleted: string | null } | undefined;
      if (!row) return null;
      return {
        id: row.id,
        sent: JSON.parse(row.sent) as Stamp,
        deleted: row.deleted === null ? null : (JSON.parse(row.deleted) as Stamp),
      };
    },
    recipient(messageId, contactId) {
      const row = recipient.get(schoolId, messageId, contactId) as { read_at: string | null } | undefined;
      return row ? { readAt: row.read_at } : null;
    },
  });
}
