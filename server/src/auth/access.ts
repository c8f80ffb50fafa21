import { addDays, effectiveDay, isLeaverOn, type IsoDate, type Principal } from '@schoolping/shared';
import type { Db } from '../db/database.ts';
import type { IdentitySettings } from './settings.ts';
import type { UserRow } from './users.ts';

export type Access =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'staff-left' | 'parent-left'; readonly sentence: string };

/**
 * What the MIS says about a person now decides what their account may do. Staff who have left lose
 * access on the school day they leave (from its 02:00 run, the same rule as pupils); a parent whose
 * children have all left may read for a while, then not sign in.
 */
export function accessFor(db: Db, user: UserRow, now: Date, settings: IdentitySettings): Access {
  const today = effectiveDay(now);
  const principal: Principal = {
    userId: user.id,
    schoolId: user.schoolId,
    roles: user.roles,
    contactId: user.kind === 'parent' ? user.misId : null,
    isReadOnly: false,
  };
  if (user.kind === 'staff') {
    const leavingDate = staffLeavingDate(db, user);
    if (isLeaverOn(leavingDate, today)) {
      return { ok: false, reason: 'staff-left', sentence: 'This account closed when you left the school.' };
    }
    return { ok: true, principal };
  }
  if (user.misId !== null && !isKnownContact(db, user)) {
    return {
      ok: false,
      reason: 'parent-left',
      sentence: 'The school no longer lists you as a contact, so this account is closed.',
    };
  }
  const leftOn = parentLeftOn(db, user);
  if (leftOn === null) return { ok: true, principal };
  if (addDays(leftOn, settings.leaverReadOnlyDays) <= today) {
    return {
      ok: false,
      reason: 'parent-left',
      sentence: 'This account closed after your children left the school.',
    };
  }
  return { ok: true, principal: { ...principal, isReadOnly: true } };
}

function staffLeavingDate(db: Db, user: UserRow): IsoDate | null {
  if (user.misId === null) return null;
  const row = db
    .prepare(
      "SELECT json_extract(data, '$.leavingDate') AS leavingDate FROM mis_records WHERE school_id = ? AND kind = 'staff' AND mis_id = ?",
    )
    .get(user.schoolId, user.misId) as { leavingDate: IsoDate | null } | undefined;
  return row?.leavingDate ?? null;
}

function isKnownContact(db: Db, user: UserRow): boolean {
  return (
    db
      .prepare("SELECT 1 FROM mis_records WHERE school_id = ? AND kind = 'contact' AND mis_id = ?")
      .get(user.schoolId, user.misId) !== undefined
  );
}

/** The day a parent became a leaver, as the daily job applied it; null while they are not one. */
function parentLeftOn(db: Db, user: UserRow): IsoDate | null {
  if (user.misId === null) return null;
  const state = db
    .prepare("SELECT status FROM roster_state WHERE school_id = ? AND kind = 'contact' AND mis_id = ?")
    .get(user.schoolId, user.misId) as { status: string } | undefined;
  if (state?.status !== 'leaver') return null;
  const left = db
    .prepare(
      "SELECT max(day) AS day FROM change_log WHERE school_id = ? AND kind = 'contact' AND mis_id = ? AND change = 'left'",
    )
    .get(user.schoolId, user.misId) as { day: IsoDate | null };
  // A leaver from before the first daily run: count from that run.
  const first = db
    .prepare('SELECT min(day) AS day FROM daily_runs WHERE school_id = ?')
    .get(user.schoolId) as { day: IsoDate | null };
  return left.day ?? first.day;
}
