import { schoolSummarySchema, type SchoolSummary } from '@schoolping/shared';
import type { LocalDb } from '$lib/local-db';

export type SummaryResult =
  | { readonly kind: 'live'; readonly summary: SchoolSummary }
  | { readonly kind: 'saved'; readonly summary: SchoolSummary; readonly savedAt: string }
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'signed-out' };

const KEY = 'school-summary';

/**
 * The school's summary from the server, falling back to the last copy kept on this device when
 * the network is down. Whatever the server sends is checked against the shared schema first. A 401
 * means the session has ended: the saved copy is not shown then, since it is about to be wiped.
 */
export async function fetchSchoolSummary(
  fetcher: typeof fetch,
  db: LocalDb,
  now: () => Date,
): Promise<SummaryResult> {
  try {
    const response = await fetcher('/api/school/summary', { headers: { accept: 'application/json' } });
    if (response.ok) {
      const summary = schoolSummarySchema.parse(await response.json());
      await db.snapshots.put({ key: KEY, value: summary, savedAt: now().toISOString() });
      return { kind: 'live', summary };
    }
    if (response.status === 401) return { kind: 'signed-out' };
  } catch {
    // Offline or the server is unreachable: the saved copy below is the answer.
  }
  const saved = await db.snapshots.get(KEY);
  const parsed = schoolSummarySchema.safeParse(saved?.value);
  if (saved && parsed.success) return { kind: 'saved', summary: parsed.data, savedAt: saved.savedAt };
  return {
    kind: 'unavailable',
    message: 'The school’s details could not be loaded. Check the connection and try again.',
  };
}
