import type { DocKind } from '@schoolping/shared';
import type { Doc } from 'yjs';
import { sync } from '$lib/sync/sync.svelte';
import { docOfKind, docsOfKind } from './docs';

/**
 * Reads documents for a screen: `read` runs again whenever any document changes (the sync
 * state's revision moves on), so what the screen shows follows the documents without a reload.
 * Null until the sync client has started on this device.
 */
export function fromDocs<T>(
  read: (docs: { one: (kind: DocKind) => Doc | undefined; all: (kind: DocKind) => Doc[] }) => T,
): T | null {
  // Read for its dependency: a change to any document makes `read` run again.
  if (sync.revision < 0) return null;
  const client = sync.client;
  if (!client) return null;
  return read({ one: (kind) => docOfKind(client, kind), all: (kind) => docsOfKind(client, kind) });
}
