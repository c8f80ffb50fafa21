import type { Effect } from '@schoolping/shared';
import type { Db } from '../database.ts';

/**
 * Accepted intents' effects as SQL writes, inside the caller's transaction. The triggers of
 * migrations 1, 6 and 7 refuse anything the rules forbid (a reopened wallet, a rewritten stamp, a
 * changed ledger entry, an undeleted message), should code here ever slip.
 */
export function sqliteEffectWriter(db: Db): (schoolId: number, effects: readonly Effect[]) => void {
  const closeWallet = db.prepare(
    "UPDATE wallets SET status = 'closed', closed = ? WHERE school_id = ? AND id = ? AND status = 'open'",
  );
  const settleWallet = db.prepare(
    "UPDATE wallets SET status = 'settled', settled = ? WHERE school_id = ? AND id = ? AND status = 'closed'",
  );
  const insertEntry = db.prepare(
    `INSERT INTO ledger_entries (school_id, id, wallet_id, kind, amount, at, description, flag)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO messages (school_id, id, subject, body, audience, sent, sent_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRecipient = db.prepare(
    'INSERT INTO message_recipients (school_id, message_id, contact_id, pupil_ids) VALUES (?, ?, ?, ?)',
  );
  // Each recipient is to be told a message is waiting: queued with the message, so none is lost.
  const queueNotice = db.prepare(
    'INSERT INTO notifications (school_id, message_id, contact_id, next_at) VALUES (?, ?, ?, ?)',
  );
  const cancelNotices = db.prepare(
    "UPDATE notifications SET status = 'cancelled' WHERE school_id = ? AND message_id = ? AND status = 'pending'",
  );
  const markRead = db.prepare(
    `UPDATE message_recipients SET read_at = ?
     WHERE school_id = ? AND message_id = ? AND contact_id = ? AND read_at IS NULL`,
  );
  const eraseMessage = db.prepare(
    "UPDATE messages SET subject = '', body = '', deleted = ? WHERE school_id = ? AND id = ? AND deleted IS NULL",
  );

  function write(schoolId: number, effect: Effect): void {
    switch (effect.kind) {
      case 'wallet-closed':
        closeWallet.run(JSON.stringify(effect.stamp), schoolId, effect.walletId);
        return;
      case 'wallet-settled':
        settleWallet.run(
          JSON.stringify({ ...effect.stamp, refundDate: effect.refundDate, refunded: effect.refunded }),
          schoolId,
          effect.walletId,
        );
        return;
      case 'ledger-entry': {
        const { entry } = effect;
        insertEntry.run(
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
        insertMessage.run(
          schoolId,
          message.id,
          message.subject,
          message.body,
          JSON.stringify(message.audience),
          JSON.stringify(message.sent),
          message.sent.at,
        );
        for (const recipient of recipients) {
          insertRecipient.run(schoolId, message.id, recipient.contactId, JSON.stringify(recipient.pupilIds));
          queueNotice.run(schoolId, message.id, recipient.contactId, message.sent.at);
        }
        return;
      }
      case 'message-read':
        markRead.run(effect.at, schoolId, effect.messageId, effect.contactId);
        return;
      case 'messages-deleted':
        for (const id of effect.messageIds) {
          eraseMessage.run(JSON.stringify(effect.stamp), schoolId, id);
          cancelNotices.run(schoolId, id);
        }
        return;
    }
  }

  return (schoolId, effects) => {
    for (const effect of effects) write(schoolId, effect);
  };
}
