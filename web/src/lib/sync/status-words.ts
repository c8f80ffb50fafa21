import type { SyncStatus } from './sync-status';

/** How long ago, in words a person reads at a glance. */
export function agoWords(then: string, now: Date): string {
  const minutes = Math.floor((now.getTime() - Date.parse(then)) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? '' : 's'} ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

/** The status bar's words, so the component only lays them out (and the tests read them). */
export function statusWords(
  status: SyncStatus,
  now: Date,
): { connection: string; changes: string; lastSynced: string | null } {
  const connection =
    status.connection === 'online'
      ? status.isSyncing
        ? 'Syncing…'
        : status.transport === 'http'
          ? 'Online (without a live connection)'
          : 'Online'
      : status.connection === 'offline'
        ? 'Offline'
        : 'Connecting…';
  const changes =
    status.pending === 0
      ? 'All changes sent'
      : `${status.pending} change${status.pending === 1 ? '' : 's'} waiting to be sent` +
        (status.oldestPendingAt ? `, the oldest made ${agoWords(status.oldestPendingAt, now)}` : '');
  return {
    connection,
    changes,
    lastSynced: status.lastSyncedAt === null ? null : `Last synced ${agoWords(status.lastSyncedAt, now)}`,
  };
}
