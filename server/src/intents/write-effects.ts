import type { Effect } from '@schoolping/shared';
import type { Db } from '../db/database.ts';

/**
 * An accepted intent's effects as SQL writes, inside the caller's transaction. The triggers of
 * migrations 1, 6 and 7 refuse anything the rules forbid (a reopened wallet, a rewritten stamp, a
 * changed ledger entry, an undeleted message), should code here ever slip.
 */
export function writeEffects(db: Db, schoolId: number, effects: readonly Effect[]): void {
  for (const effect of effects) writeEffect(db, schoolId, effect);
}

function writeEffect(db: Db, schoolId: number, effect: Effect): void {
  switch (effect.kind) {
    case 'wallet-closed':
      db.prepare(
        "UPDATE wallets SET status = 'closed', closed = ? WHERE school_id = ? AND id = ? AND status = 'open'",
      ).run(JSON.stringify(effect.stamp), schoolId, effect.walletId);
      return;
    case 'wallet-settled':
      db.prepare(
        "UPDATE wallets SET status = 'settled', settled = ? WHERE school_id = ? AND id = ? AND status = 'closed'",
      ).run(
        JSON.stringify({ ...effect.stamp, refundDate: effect.refundDate, refunded: effect.refunded }),
        schoolId,
        effect.walletId,
      );
      return;
    case 'ledger-entry': {
      const { entry } = effect;
      db.prepare(
        `INSERT INTO ledger_entries (school_id, id, wallet_id, kind, amount, at, description, flag)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        schoolId,
        entry.id,
        entry.walletId,
        entry.kind,
        entry.amount,
        entry.at,
        entry.description,
        entry.flag,
      );
      return;
    }
    case 'message-sent': {
      const { message, recipients } = effect;
      db.prepare(
        `INSERT INTO messages (school_id, id, subject, body, audience, sent, sent_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        schoolId,
        message.id,
        message.subject,
        message.body,
        JSON.stringify(message.audience),
        JSON.stringify(message.sent),
        message.sent.at,
      );
      const insert = db.prepare(
        'INSERT INTO message_recipients (school_id, message_id, contact_id, pupil_ids) VALUES (?, ?, ?, ?)',
      );
      for (const recipient of recipients) {
        insert.run(schoolId, message.id, recipient.contactId, JSON.stringify(recipient.pupilIds));
      }
      return;
    }
    case 'message-read':
      db.prepare(
        `UPDATE message_recipients SET read_at = ?
         WHERE school_id = ? AND message_id = ? AND contact_id = ? AND read_at IS NULL`,
      ).run(effect.at, schoolId, effect.messageId, effect.contactId);
      return;
    case 'messages-deleted': {
      const erase = db.prepare(
        "UPDATE messages SET subject = '', body = '', deleted = ? WHERE school_id = ? AND id = ? AND deleted IS NULL",
      );
      for (const id of effect.messageIds) erase.run(JSON.stringify(effect.stamp), schoolId, id);
      return;
    }
  }
}
