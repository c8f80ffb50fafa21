/** What the status bar shows: the sync client reports it, the UI only reads it. */
export interface SyncStatus {
  /** Whether changes can reach the server now, and how. */
  readonly connection: 'connecting' | 'online' | 'offline';
  /** 'http' when the school's network breaks WebSockets and changes go by plain requests. */
  readonly transport: 'socket' | 'http' | null;
  /** True while the first exchange after connecting is under way. */
  readonly isSyncing: boolean;
  /** Changes made here that the server has not answered yet. */
  readonly pending: number;
  /** When the oldest of them was made, ISO 8601; null when none wait. */
  readonly oldestPendingAt: string | null;
  /** When the server was last heard from, ISO 8601. */
  readonly lastSyncedAt: string | null;
  /** Changes the server turned down, with its sentence, for a "needs attention" list. */
  readonly rejected: readonly {
    readonly intentId: string;
    readonly type: string;
    readonly sentence: string;
  }[];
  /** A storage failure (the device full, say), in words; never swallowed. */
  readonly storageProblem: string | null;
}

export const STARTING_STATUS: SyncStatus = {
  connection: 'connecting',
  transport: null,
  isSyncing: false,
  pending: 0,
  oldestPendingAt: null,
  lastSyncedAt: null,
  rejected: [],
  storageProblem: null,
};
