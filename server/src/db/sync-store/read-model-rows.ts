import type { IsoDate, PersonStatus } from '@schoolping/shared';
import type { Db } from '../database.ts';
import { loadRoster, schoolById } from '../school-store.ts';
import type { InboxRow, MessageRow, ReadModelSource, SentRow, WalletWithBalance } from './store.ts';

const WALLET_SELECT = `SELECT w.id, w.contact_id, w.status, w.closed, w.settled,
  (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.school_id = w.school_id AND e.wallet_id = w.id) AS balance
  FROM wallets w WHERE w.school_id = ?`;

/** The rows read models are built from, each by an indexed query. */
export function sqliteReadModelSource(db: Db): ReadModelSource {
  const rosterVersion = db.prepare('SELECT roster_version FROM schools WHERE id = ?').pluck();
  const appliedRows = db.prepare('SELECT kind, mis_id, status FROM roster_state WHERE school_id = ?');
  const lastDailyRun = db.prepare('SELECT max(day) FROM daily_runs WHERE school_id = ?').pluck();
  const liveMessage = db.prepare(
    'SELECT id, subject, body, audience, sent, sent_at FROM messages WHERE school_id = ? AND id = ? AND deleted IS NULL',
  );
  const messageStamp = db.prepare('SELECT sent, sent_at FROM messages WHERE school_id = ? AND id = ?');
  const recipientCount = db
    .prepare('SELECT COUNT(*) FROM message_recipients WHERE school_id = ? AND message_id = ?')
    .pluck();
  const readCount = db
    .prepare(
      'SELECT COUNT(*) FROM message_recipients WHERE school_id = ? AND message_id = ? AND read_at IS NOT NULL',
    )
    .pluck();
  const recipientsOf = db
    .prepare('SELECT contact_id FROM message_recipients WHERE school_id = ? AND message_id = ?')
    .pluck();
  const recipientRows = db.prepare(
    'SELECT contact_id, pupil_ids, read_at FROM message_recipients WHERE school_id = ? AND message_id = ?',
  );
  const inboxRows = db.prepare(
    `SELECT m.id, m.subject, m.body, m.audience, m.sent, m.sent_at, r.pupil_ids, r.read_at
     FROM message_recipients r JOIN messages m ON m.school_id = r.school_id AND m.id = r.message_id
     WHERE r.school_id = ? AND r.contact_id = ? AND m.deleted IS NULL ORDER BY m.sent_at`,
  );
  const sentRows = db.prepare(
    `SELECT m.id, m.subject, m.body, m.audience, m.sent, m.sent_at,
            COUNT(r.contact_id) AS recipients, COUNT(r.read_at) AS reads
     FROM messages m LEFT JOIN message_recipients r ON r.school_id = m.school_id AND r.message_id = m.id
     WHERE m.school_id = ? AND m.deleted IS NULL GROUP BY m.id ORDER BY m.sent_at`,
  );
  const inboxSentAts = db
    .prepare(
      `SELECT DISTINCT m.sent_at FROM message_recipients r
       JOIN messages m ON m.school_id = r.school_id AND m.id = r.message_id
       WHERE r.school_id = ? AND r.contact_id = ? AND m.deleted IS NULL`,
    )
    .pluck();
  const hasWallet = db.prepare('SELECT 1 FROM wallets WHERE school_id = ? AND contact_id = ?');
  const recentEntries = db.prepare(
    'SELECT at, kind, amount, description FROM ledger_entries WHERE school_id = ? AND wallet_id = ? ORDER BY seq DESC LIMIT ?',
  );
  const everyWallet = db.prepare(`${WALLET_SELECT} ORDER BY w.id`);
  const oneWallet = db.prepare(`${WALLET_SELECT} AND w.id = ?`);
  return {
    school: (schoolId) => schoolById(db, schoolId),
    rosterVersion: (schoolId) => rosterVersion.get(schoolId) as number,
    roster: (school) => loadRoster(db, school),
    liveMessage: (schoolId, messageId) =>
      (liveMessage.get(schoolId, messageId) as MessageRow | undefined) ?? null,
    messageStamp(schoolId, messageId) {
      const row = messageStamp.get(schoolId, messageId) as { sent: string; sent_at: string } | undefined;
      return row ? { sent: row.sent, sentAt: row.sent_at } : null;
    },
    recipientCount: (schoolId, messageId) => recipientCount.get(schoolId, messageId) as number,
    readCount: (schoolId, messageId) => readCount.get(schoolId, messageId) as number,
    recipientsOf: (schoolId, messageId) => recipientsOf.all(schoolId, messageId) as string[],
    recipientRows: (schoolId, messageId) =>
      (
        recipientRows.all(schoolId, messageId) as {
          contact_id: string;
          pupil_ids: string;
          read_at: string | null;
        }[]
      ).map((row) => ({
        contactId: row.contact_id,
        pupilIds: JSON.parse(row.pupil_ids) as string[],
        readAt: row.read_at,
      })),
    inboxRows: (schoolId, contactId) => inboxRows.all(schoolId, contactId) as InboxRow[],
    sentRows: (schoolId) => sentRows.all(schoolId) as SentRow[],
    inboxSentAts: (schoolId, contactId) => inboxSentAts.all(schoolId, contactId) as string[],
    hasWallet: (schoolId, contactId) => hasWallet.get(schoolId, contactId) !== undefined,
    recentEntries: (schoolId, walletId, limit) =>
      recentEntries.all(schoolId, walletId, limit) as {
        at: string;
        kind: string;
        amount: number;
        description: string;
      }[],
    appliedStatuses(schoolId) {
      const rows = appliedRows.all(schoolId) as { kind: string; mis_id: string; status: PersonStatus }[];
      return {
        day: lastDailyRun.get(schoolId) as IsoDate | null,
        statuses: new Map(rows.map((row) => [`${row.kind}:${row.mis_id}`, row.status])),
      };
    },
    walletRows: (schoolId, walletId) =>
      (walletId === undefined
        ? everyWallet.all(schoolId)
        : oneWallet.all(schoolId, walletId)) as WalletWithBalance[],
  };
}
