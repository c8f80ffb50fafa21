import type { LocalDb } from '$lib/local-db';
import { parseMe, type Me } from './auth';

const ME_KEY = 'session-me';
const LOCK_KEY = 'session-lock';

export interface SavedSession {
  readonly me: Me | null;
  /** A lock survives a reload: reloading must not be a way past it. */
  readonly isLocked: boolean;
}

export async function loadSavedSession(db: LocalDb): Promise<SavedSession> {
  const [me, lock] = await Promise.all([db.snapshots.get(ME_KEY), db.snapshots.get(LOCK_KEY)]);
  return { me: parseMe(me?.value), isLocked: lock !== undefined };
}

export async function saveMe(db: LocalDb, me: Me, now: Date): Promise<void> {
  await db.snapshots.put({ key: ME_KEY, value: me, savedAt: now.toISOString() });
}

export async function saveLock(db: LocalDb, isLocked: boolean, now: Date): Promise<void> {
  if (isLocked) await db.snapshots.put({ key: LOCK_KEY, value: true, savedAt: now.toISOString() });
  else await db.snapshots.delete(LOCK_KEY);
}
