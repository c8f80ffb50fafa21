import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLocalDb } from '$lib/local-db';
import type { DeviceStorage } from './local-wipe';
import { sendPendingSignOut, signOut } from './sign-out';

/** Web storage as a Map, so a test can see what is left. */
class MemoryStorage implements Pick<Storage, 'getItem' | 'setItem' | 'removeItem' | 'clear'> {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
  clear(): void {
    this.items.clear();
  }
}

/** Cache Storage as a set of names. */
function fakeCaches(names: string[], log: string[] = []): Pick<CacheStorage, 'keys' | 'delete'> {
  const held = new Set(names);
  return {
    keys: () => {
      log.push('caches.keys');
      return Promise.resolve([...held]);
    },
    delete: (name) => {
      log.push(`caches.delete ${name}`);
      return Promise.resolve(held.delete(name));
    },
  };
}

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).flatMap((info) => info.name ?? []);
}

let counter = 0;
const uniqueName = (): string => `wipe-test-${++counter}`;

describe('signOut', () => {
  it('tells the server, then closes and deletes databases, workers, caches and web storage, then memory', async () => {
    const log: string[] = [];
    const local = new MemoryStorage();
    const storage: DeviceStorage = {
      closeDatabases: () => log.push('close'),
      indexedDB: {
        databases: () => {
          log.push('indexedDB.databases');
          return Promise.resolve([{ name: 'schoolping', version: 1 }]);
        },
        deleteDatabase: (name) => {
          log.push(`indexedDB.delete ${name}`);
          return indexedDB.deleteDatabase(name);
        },
      },
      knownDatabases: ['schoolping'],
      caches: fakeCaches(['workbox-precache-v2'], log),
      serviceWorkers: {
        getRegistrations: () =>
          Promise.resolve([
            {
              unregister: () => {
                log.push('service worker unregister');
                return Promise.resolve(true);
              },
            } as unknown as ServiceWorkerRegistration,
          ]),
      },
      webStorage: [{ clear: () => log.push('web storage') }],
      resetMemory: () => log.push('memory'),
    };
    const report = await signOut({
      tellServer: () => {
        log.push('server');
        return Promise.resolve(true);
      },
      storage,
      pending: local,
    });
    expect(log).toEqual([
      'server',
      'close',
      'indexedDB.databases',
      'indexedDB.delete schoolping',
      'service worker unregister',
      'caches.keys',
      'caches.delete workbox-precache-v2',
      'web storage',
      'memory',
    ]);
    expect(report).toEqual({ failures: [], isServerTold: true });
    expect(local.items.size).toBe(0);
  });

  it('wipes every database, open or not, and every cache with the network off', async () => {
    const name = uniqueName();
    const db = openLocalDb(name);
    await db.snapshots.put({ key: 'session-me', value: { name: 'Karen Daley' }, savedAt: '' });
    const other = openLocalDb(uniqueName());
    await other.snapshots.put({ key: 'x', value: 1, savedAt: '' });
    other.close();
    const caches = fakeCaches(['workbox-precache-v2', 'images']);
    const local = new MemoryStorage();
    local.setItem('draft', 'Dear Mrs Daley');
    let isMemoryCleared = false;

    const report = await signOut({
      tellServer: () => Promise.reject(new TypeError('Failed to fetch')),
      storage: {
        closeDatabases: () => {
          db.close();
        },
        indexedDB,
        knownDatabases: [],
        caches,
        serviceWorkers: undefined,
        webStorage: [local],
        resetMemory: () => {
          isMemoryCleared = true;
        },
      },
      pending: local,
    });

    expect(report.isServerTold).toBe(false);
    expect(report.failures).toEqual([]);
    expect(await databaseNames()).toEqual([]);
    expect(await caches.keys()).toEqual([]);
    expect(isMemoryCleared).toBe(true);
    // Only the note to tell the server later survives, and it holds nothing personal.
    expect([...local.items]).toEqual([['schoolping.pending-sign-out', 'yes']]);
  });

  it('does not hang when another tab keeps a database open', async () => {
    const name = uniqueName();
    const stubborn = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open(name, 1);
      request.onsuccess = () => {
        resolve(request.result);
      };
    });
    // This connection ignores `versionchange`, as a tab frozen in the background would.
    stubborn.onversionchange = null;
    const report = await signOut({
      tellServer: () => Promise.resolve(true),
      storage: {
        closeDatabases: () => undefined,
        indexedDB,
        knownDatabases: [],
        caches: undefined,
        serviceWorkers: undefined,
        webStorage: [],
        resetMemory: () => undefined,
      },
      pending: new MemoryStorage(),
    });
    expect(report.failures).toEqual([]);
    stubborn.close();
    // The queued deletion completes as soon as that connection lets go.
    await expect.poll(databaseNames).toEqual([]);
  });

  it('goes on wiping when one step fails, and clears memory in any case', async () => {
    let isMemoryCleared = false;
    const local = new MemoryStorage();
    local.setItem('draft', 'x');
    const broken = new Error('storage is broken');
    const report = await signOut({
      tellServer: () => Promise.resolve(true),
      storage: {
        closeDatabases: () => undefined,
        indexedDB,
        knownDatabases: [],
        caches: { keys: () => Promise.reject(broken), delete: () => Promise.resolve(false) },
        serviceWorkers: undefined,
        webStorage: [local],
        resetMemory: () => {
          isMemoryCleared = true;
        },
      },
      pending: local,
    });
    expect(report.failures).toEqual([{ step: 'cache-storage', error: broken }]);
    expect(local.items.size).toBe(0);
    expect(isMemoryCleared).toBe(true);
  });
});

describe('sendPendingSignOut', () => {
  it('tells the server of an offline sign-out the next time it can, then forgets it', async () => {
    const local = new MemoryStorage();
    local.setItem('schoolping.pending-sign-out', 'yes');
    let calls = 0;
    const offline = () => {
      calls++;
      return Promise.resolve(false);
    };
    expect(await sendPendingSignOut({ tellServer: offline, pending: local })).toBe(false);
    expect(local.getItem('schoolping.pending-sign-out')).toBe('yes');
    const online = () => {
      calls++;
      return Promise.resolve(true);
    };
    expect(await sendPendingSignOut({ tellServer: online, pending: local })).toBe(true);
    expect(local.items.size).toBe(0);
    expect(calls).toBe(2);
  });

  it('asks nothing of the server when nothing is pending', async () => {
    let calls = 0;
    const tellServer = () => {
      calls++;
      return Promise.resolve(true);
    };
    expect(await sendPendingSignOut({ tellServer, pending: new MemoryStorage() })).toBe(true);
    expect(calls).toBe(0);
  });
});
