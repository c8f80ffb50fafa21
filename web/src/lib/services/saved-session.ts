import type { LocalDb } from '$lib/local-db';
import { parseMe, type Me } from './auth';

const ME_KEY = 'session-me';
const LOCK_KEY = 'session-lock';
const ACTIVE_KEY = 'session-last-active';

export interface SavedSession {
  readonly me: Me | null;
  /** A lock survives a reload: reloading must not be a way past it. */
  readonly isLocked: boolean;
  /** When someone last used the app here, ISO 8601; a closed tab must not be a way past the idle lock. */
  readonly lastActiveAt: string | null;
}

export async function loadSavedSession(db: LocalDb): Promise<SavedSession> {
  const [me, lock, active] = await Promise.all([
    db.snapshots.get(ME_KEY),
    db.snapshots.get(LOCK_KEY),
    db.snapshots.get(ACTIVE_KEY),
  ]);
  return {
    me: parseMe(me?.value),
    isLocked: lock !== undefined,
    lastActiveAt: typeof active?.value === 'string' ? active.value : null,
  };
}

export async function saveMe(db: LocalDb, me: Me, now: Date): Promise<void> {
  await db.snapshots.put({ key: ME_KEY, value: me, savedAt: now.toISOString() });
}

export async function saveLock(db: LocalDb, isLocked: boolean, now: Date): Promise<void> {
  if (isLocked) await db.snapshots.put({ key: LOCK_KEY, value: true, savedAt: now.toISOString() });
  else await db.snapshots.delete(LOCK_KEY);
}

export async function saveLastActive(db: LocalDb, at: Date): Promise<void> {
  await db.snapshots.put({ key: ACTIVE_KEY, value: at.toISOString(), savedAt: at.toISOString() });
}
