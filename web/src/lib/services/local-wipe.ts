/*
 * Everything a signed-in person left on this device, removed on sign-out even with the network off:
 * a shared family or school tablet must not show the next person anything of theirs.
 */

export interface DeviceStorage {
  /** Closes this page's own database connections, which would otherwise hold up their deletion. */
  readonly closeDatabases: () => void;
  readonly indexedDB: Pick<IDBFactory, 'databases' | 'deleteDatabase'> | undefined;
  /** Deleted by name when the browser cannot list its databases. */
  readonly knownDatabases: readonly string[];
  readonly caches: Pick<CacheStorage, 'keys' | 'delete'> | undefined;
  /**
   * Unregistered before the caches go: a worker still installing would fill its precache again after
   * the deletion, and an installed one never refills an emptied precache. The next sign-in installs
   * a fresh one, and the offline copy of the app comes back with it.
   */
  readonly serviceWorkers: Pick<ServiceWorkerContainer, 'getRegistrations'> | undefined;
  readonly webStorage: readonly Pick<Storage, 'clear'>[];
  readonly resetMemory: () => void;
}

/** Which step failed, if any; every step is tried whatever happened to the one before. */
export interface WipeReport {
  readonly failures: readonly { readonly step: string; readonly error: unknown }[];
}

export async function wipeLocalData(storage: DeviceStorage): Promise<WipeReport> {
  const failures: { step: string; error: unknown }[] = [];
  const step = async (name: string, run: () => unknown): Promise<void> => {
    try {
      await run();
    } catch (error) {
      failures.push({ step: name, error });
    }
  };
  await step('close-databases', storage.closeDatabases);
  await step('indexeddb', () => deleteAllDatabases(storage));
  await step('service-workers', async () => {
    const registrations = (await storage.serviceWorkers?.getRegistrations()) ?? [];
    // Pushes stop with the sign-out: the subscription goes before the worker that holds it.
    await Promise.all(
      registrations.map(async (registration) => {
        const subscription =
          'pushManager' in registration
            ? await registration.pushManager.getSubscription().catch(() => null)
            : null;
        await subscription?.unsubscribe().catch(() => false);
        return registration.unregister();
      }),
    );
  });
  await step('cache-storage', async () => {
    const { caches } = storage;
    if (caches) await Promise.all((await caches.keys()).map((name) => caches.delete(name)));
  });
  await step('web-storage', () => {
    for (const each of storage.webStorage) each.clear();
  });
  await step('memory', storage.resetMemory);
  return { failures };
}

async function deleteAllDatabases(storage: DeviceStorage): Promise<void> {
  const factory = storage.indexedDB;
  if (!factory) return;
  // Listing fails in some browsers (and private windows): the app's own databases go all the same.
  const listed = await listDatabases(factory);
  const names = new Set([...storage.knownDatabases, ...listed.flatMap((info) => info.name ?? [])]);
  await Promise.all([...names].map((name) => deleteDatabase(factory, name)));
}

async function listDatabases(factory: Pick<IDBFactory, 'databases'>): Promise<IDBDatabaseInfo[]> {
  try {
    return typeof factory.databases === 'function' ? await factory.databases() : [];
  } catch {
    return [];
  }
}

function deleteDatabase(factory: Pick<IDBFactory, 'deleteDatabase'>, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = factory.deleteDatabase(name);
    request.onsuccess = () => {
      resolve();
    };
    // Another tab still has it open: the deletion is queued and completes once that tab lets go
    // (Dexie closes on `versionchange`), so waiting here would only hang the sign-out.
    request.onblocked = () => {
      resolve();
    };
    request.onerror = () => {
      reject(request.error ?? new Error(`Could not delete the database ${name}`));
    };
  });
}
