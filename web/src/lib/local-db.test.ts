import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  closeLocalDb,
  LOCAL_DB_NAME,
  localDb,
  LocalDbSealedError,
  onLocalDbDeletedElsewhere,
  sealLocalDb,
  unsealLocalDb,
} from './local-db';
import { loadSavedSession, saveLastActive } from './services/saved-session';

afterEach(async () => {
  unsealLocalDb();
  closeLocalDb();
  await new Promise<void>((resolve) => {
    indexedDB.deleteDatabase(LOCAL_DB_NAME).onsuccess = () => {
      resolve();
    };
  });
});

describe('localDb', () => {
  it('refuses to open the database again after a wipe, until a new session is adopted', async () => {
    await localDb().snapshots.put({ key: 'x', value: 1, savedAt: '' });
    sealLocalDb();
    expect(() => localDb()).toThrow(LocalDbSealedError);
    unsealLocalDb();
    expect(await localDb().snapshots.get('x')).toMatchObject({ value: 1 });
  });

  it('lets go and seals when another tab deletes the database', async () => {
    const onDeleted = vi.fn();
    const stop = onLocalDbDeletedElsewhere(onDeleted);
    await localDb().snapshots.put({ key: 'x', value: 1, savedAt: '' });
    // Another tab's sign-out: without this tab letting go, the deletion would wait (blocked).
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(LOCAL_DB_NAME);
      request.onsuccess = () => {
        resolve();
      };
      request.onblocked = () => {
        reject(new Error('blocked by this tab'));
      };
    });
    stop();
    expect(onDeleted).toHaveBeenCalledOnce();
    expect(() => localDb()).toThrow(LocalDbSealedError);
  });
});

describe('saved session', () => {
  it('keeps the time of last use beside the session, and reads none as missing', async () => {
    expect((await loadSavedSession(localDb())).lastActiveAt).toBeNull();
    await saveLastActive(localDb(), new Date('2026-11-28T09:00:00.000Z'));
    expect((await loadSavedSession(localDb())).lastActiveAt).toBe('2026-11-28T09:00:00.000Z');
  });
});
