import { docsFor, effectiveDay, academicYearOf } from '@schoolping/shared';
import { Hono } from 'hono';
import type { AppEnv, AppContext } from '../http/env.ts';
import { guard } from '../http/guard.ts';
import { academicYearAt } from '../sync/read-models.ts';

/** GET /api/sync/docs: the documents the signed-in person may open, with kind and whether they may write. */
export function syncRoutes(context: AppContext) {
  const { db, clock } = context;
  return new Hono<AppEnv>().get('/docs', guard(context, 'GET /api/sync/docs'), (c) => {
    const principal = c.get('principal');
    if (!principal) return c.json({ error: 'sign-in-required', message: 'Please sign in.' }, 401);
    const years = new Set<number>([academicYearOf(effectiveDay(clock()))]);
    let hasWallet = false;
    if (principal.contactId !== null) {
      const sentAts = db
        .prepare(
          `SELECT DISTINCT m.sent_at FROM message_recipients r
           JOIN messages m ON m.school_id = r.school_id AND m.id = r.message_id
           WHERE r.school_id = ? AND r.contact_id = ? AND m.deleted IS NULL`,
        )
        .pluck()
        .all(principal.schoolId, principal.contactId) as string[];
      for (const sentAt of sentAts) years.add(academicYearAt(sentAt));
      hasWallet =
        db
          .prepare('SELECT 1 FROM wallets WHERE school_id = ? AND contact_id = ?')
          .get(principal.schoolId, principal.contactId) !== undefined;
    }
    const inboxYears = [...years].sort((a, b) => b - a);
    return c.json({ docs: docsFor(principal, { inboxYears, hasWallet }) });
  });
}
