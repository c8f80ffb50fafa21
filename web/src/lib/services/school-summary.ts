import { schoolSummarySchema, type SchoolSummary } from '@schoolping/shared';
import type { LocalDb } from '$lib/local-db';
import { getJson } from './api';

export type SummaryResult =
  | { readonly kind: 'live'; readonly summary: SchoolSummary }
  | { readonly kind: 'saved'; readonly summary: SchoolSummary; readonly savedAt: string }
  | { readonly kind: 'unavailable'; readonly message: string }
  | { readonly kind: 'signed-out' };

const KEY = 'school-summary';

const NOT_LOADED = 'The school’s details could not be loaded. Check the connection and try again.';

/**
 * The school's summary from the server, falling back to the last copy kept on this device only when
 * the server cannot be reached. Whatever the server sends is checked against the shared schema first.
 * A 401 means the session has ended: the saved copy is not shown then, since it is about to be wiped.
 * Any other refusal is the server's word, shown as it is.
 */
export async function fetchSchoolSummary(
  fetcher: typeof fetch,
  db: LocalDb,
  now: () => Date,
): Promise<SummaryResult> {
  const answer = await getJson(fetcher, '/api/school/summary');
  switch (answer.kind) {
    case 'ok': {
      const parsed = schoolSummarySchema.safeParse(answer.value);
      if (!parsed.success)
        return { kind: 'unavailable', message: 'The server’s answer was not understood. Try again.' };
      await db.snapshots
        .put({ key: KEY, value: parsed.data, savedAt: now().toISOString() })
        .catch((error: unknown) => {
          console.error('This device could not keep the summary for offline use', error);
        });
      return { kind: 'live', summary: parsed.data };
    }
    case 'refused':
      return answer.status === 401
        ? { kind: 'signed-out' }
        : { kind: 'unavailable', message: answer.message };
    case 'unreachable':
      return savedSummary(db);
  }
}

async function savedSummary(db: LocalDb): Promise<SummaryResult> {
  const saved = await db.snapshots.get(KEY).catch(() => undefined);
  const parsed = schoolSummarySchema.safeParse(saved?.value);
  if (saved && parsed.success) return { kind: 'saved', summary: parsed.data, savedAt: saved.savedAt };
  return { kind: 'unavailable', message: NOT_LOADED };
}
