import type { NoticeTotals } from '@schoolping/shared';
import type { Db } from '../db/database.ts';

/** One parent to be told a message is waiting. */
export interface Notice {
  readonly schoolId: number;
  readonly messageId: string;
  readonly contactId: string;
  readonly attempts: number;
}

export interface PushTarget {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

export interface Unreached {
  readonly contactId: string;
  readonly name: string;
  readonly email: string | null;
  readonly reason: string;
}

/** Push subscriptions kept per person; the oldest goes when another device subscribes. */
export const DEVICES_PER_PERSON = 5;

/** Every statement about push subscriptions and the notification queue. */
export function notifyStore(db: Db) {
  const due = db.prepare(
    `SELECT school_id, message_id, contact_id, attempts FROM notifications
     WHERE status = 'pending' AND next_at <= ? ORDER BY next_at LIMIT ?`,
  );
  const pushTargets = db.prepare(
    `SELECT p.endpoint, p.p256dh, p.auth FROM push_subscriptions p JOIN users u ON u.id = p.user_id
     WHERE u.school_id = ? AND u.kind = 'parent' AND u.mis_id = ?`,
  );
  const accountEmail = db
    .prepare(
      "SELECT email FROM users WHERE school_id = ? AND kind = 'parent' AND mis_id = ? AND password_hash IS NOT NULL LIMIT 1",
    )
    .pluck();
  const misEmail = db
    .prepare(
      "SELECT json_extract(data, '$.email') FROM mis_records WHERE school_id = ? AND kind = 'contact' AND mis_id = ?",
    )
    .pluck();
  const isActivated = db
    .prepare(
      "SELECT 1 FROM users WHERE school_id = ? AND kind = 'parent' AND mis_id = ? AND password_hash IS NOT NULL",
    )
    .pluck();
  const finish = db.prepare(
    `UPDATE notifications SET status = ?, done_at = ?, last_error = ?
     WHERE school_id = ? AND message_id = ? AND contact_id = ? AND status = 'pending'`,
  );
  const retry = db.prepare(
    `UPDATE notifications SET attempts = attempts + 1, next_at = ?, last_error = ?
     WHERE school_id = ? AND message_id = ? AND contact_id = ? AND status = 'pending'`,
  );
  const about = db.prepare(
    `SELECT s.name AS school, s.email_includes_text AS includeText, m.subject, m.body
     FROM messages m JOIN schools s ON s.id = m.school_id WHERE m.school_id = ? AND m.id = ?`,
  );
  const dropSubscription = db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?');
  const saveSubscription = db.prepare(
    `INSERT INTO push_subscriptions (endpoint, school_id, user_id, session_id_hash, p256dh, auth, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (endpoint) DO UPDATE SET school_id = excluded.school_id, user_id = excluded.user_id,
       session_id_hash = excluded.session_id_hash, p256dh = excluded.p256dh, auth = excluded.auth`,
  );
  // A person's devices: a handful. More would let one account make the server post at will.
  const keepNewest = db.prepare(
    `DELETE FROM push_subscriptions WHERE user_id = ? AND endpoint NOT IN (
       SELECT endpoint FROM push_subscriptions WHERE user_id = ? ORDER BY created_at DESC, endpoint DESC LIMIT ?)`,
  );
  const removeOwnSubscription = db.prepare(
    'DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?',
  );
  const totals = db.prepare(
    `SELECT status, COUNT(*) AS n, SUM(attempts > 0) AS failing FROM notifications WHERE school_id = ? GROUP BY status`,
  );
  const lastError = db
    .prepare(
      "SELECT last_error FROM notifications WHERE school_id = ? AND status = 'pending' AND last_error IS NOT NULL ORDER BY next_at DESC LIMIT 1",
    )
    .pluck();
  const unreached = db.prepare(
    `SELECT n.contact_id, n.status, n.last_error,
            json_extract(c.data, '$.forename') || ' ' || json_extract(c.data, '$.surname') AS name,
            json_extract(c.data, '$.email') AS email
     FROM notifications n
     LEFT JOIN mis_records c ON c.school_id = n.school_id AND c.kind = 'contact' AND c.mis_id = n.contact_id
     WHERE n.school_id = ? AND n.message_id = ? AND n.status IN ('unreached', 'pending') ORDER BY name`,
  );
  const messageExists = db.prepare('SELECT 1 FROM messages WHERE school_id = ? AND id = ?').pluck();
  return {
    due: (now: Date, limit: number): Notice[] =>
      (
        due.all(now.toISOString(), limit) as {
          school_id: number;
          message_id: string;
          contact_id: string;
          attempts: number;
        }[]
      ).map((row) => ({
        schoolId: row.school_id,
        messageId: row.message_id,
        contactId: row.contact_id,
        attempts: row.attempts,
      })),
    pushTargets: (notice: Notice): PushTarget[] =>
      pushTargets.all(notice.schoolId, notice.contactId) as PushTarget[],
    emailOf(notice: Notice): string | null {
      const address =
        (accountEmail.get(notice.schoolId, notice.contactId) as string | undefined) ??
        (misEmail.get(notice.schoolId, notice.contactId) as string | null | undefined);
      return address ?? null;
    },
    /** The school's name and, where the school allows it in emails, the message itself. */
    about(notice: Notice): { school: string; includeText: boolean; subject: string; body: string } | null {
      const row = about.get(notice.schoolId, notice.messageId) as
        { school: string; includeText: number; subject: string; body: string } | undefined;
      return row ? { ...row, includeText: row.includeText === 1 } : null;
    },
    isActivated: (notice: Notice): boolean =>
      isActivated.get(notice.schoolId, notice.contactId) !== undefined,
    finish(
      notice: Notice,
      status: 'pushed' | 'emailed' | 'unreached',
      now: Date,
      why: string | null = null,
    ): void {
      finish.run(status, now.toISOString(), why, notice.schoolId, notice.messageId, notice.contactId);
    },
    retry(notice: Notice, nextAt: Date, error: string): void {
      retry.run(nextAt.toISOString(), error, notice.schoolId, notice.messageId, notice.contactId);
    },
    dropSubscription(endpoint: string): void {
      dropSubscription.run(endpoint);
    },
    saveSubscription(
      target: PushTarget,
      owner: { readonly schoolId: number; readonly userId: number; readonly sessionIdHash: string },
      now: Date,
    ): void {
      saveSubscription.run(
        target.endpoint,
        owner.schoolId,
        owner.userId,
        owner.sessionIdHash,
        target.p256dh,
        target.auth,
        now.toISOString(),
      );
      keepNewest.run(owner.userId, owner.userId, DEVICES_PER_PERSON);
    },
    removeSubscription(endpoint: string, userId: number): void {
      removeOwnSubscription.run(endpoint, userId);
    },
    totals(schoolId: number): NoticeTotals {
      const rows = totals.all(schoolId) as { status: string; n: number; failing: number | null }[];
      const count = (status: string): number => rows.find((row) => row.status === status)?.n ?? 0;
      return {
        pending: count('pending'),
        failing: rows.find((row) => row.status === 'pending')?.failing ?? 0,
        pushed: count('pushed'),
        emailed: count('emailed'),
        unreached: count('unreached'),
        lastError: (lastError.get(schoolId) as string | undefined) ?? null,
      };
    },
    /** Parents no channel has reached for a message (null when there is no such message). */
    unreached(schoolId: number, messageId: string): Unreached[] | null {
      if (messageExists.get(schoolId, messageId) === undefined) return null;
      const rows = unreached.all(schoolId, messageId) as {
        contact_id: string;
        status: string;
        last_error: string | null;
        name: string | null;
        email: string | null;
      }[];
      return rows.map((row) => ({
        contactId: row.contact_id,
        name: row.name ?? `Contact ${row.contact_id}`,
        email: row.email,
        reason:
          row.status === 'pending'
            ? `still trying${row.last_error ? ` (${row.last_error})` : ''}`
            : (row.last_error ?? 'not reached'),
      }));
    },
  };
}

export type NotifyStore = ReturnType<typeof notifyStore>;
