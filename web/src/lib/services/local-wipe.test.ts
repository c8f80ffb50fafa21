import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openLocalDb } from '$lib/local-db';
import { wipeLocalData } from './local-wipe';

async function databaseNames(): Promise<string[]> {
  return (await indexedDB.databases()).flatMap((info) => info.name ?? []);
}

describe('wipeLocalData', () => {
  it('still deletes the app’s own databases when the browser cannot list them', async () => {
    const db = openLocalDb('wipe-known');
    await db.snapshots.put({ key: 'session-me', value: { name: 'Karen Daley' }, savedAt: '' });
    db.close();
    const report = await wipeLocalData({
      closeDatabases: () => undefined,
      indexedDB: {
        databases: () => Promise.reject(new Error('not allowed here')),
        deleteDatabase: (name) => indexedDB.deleteDatabase(name),
      },
      knownDatabases: ['wipe-known'],
      caches: undefined,
      serviceWorkers: undefined,
      webStorage: [],
      resetMemory: () => undefined,
    });
    expect(report.failures).toEqual([]);
    expect(await databaseNames()).toEqual([]);
  });
});
