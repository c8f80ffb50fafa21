import 'fake-indexeddb/auto';
import { isoDate, type SchoolSummary } from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { openLocalDb, type LocalDb } from '$lib/local-db';
import { fetchSchoolSummary } from './school-summary';

const SUMMARY: SchoolSummary = {
  id: 1,
  name: 'Brookfield Primary School',
  estab: '8012000',
  asOf: isoDate('2026-11-28'),
  counts: { pupils: 410, contacts: 655, classes: 14 },
};
const SAVED_AT = new Date('2026-11-28T09:00:00Z');

const online =
  (body: unknown, status = 200): typeof fetch =>
  () =>
    Promise.resolve(new Response(JSON.stringify(body), { status }));
const offline: typeof fetch = () => Promise.reject(new TypeError('Failed to fetch'));

let db: LocalDb;
let counter = 0;
afterEach(async () => {
  await db.delete();
});

function freshDb(): LocalDb {
  db = openLocalDb(`test-${++counter}`);
  return db;
}

describe('fetchSchoolSummary', () => {
  it('shows the live summary and keeps a copy', async () => {
    const result = await fetchSchoolSummary(online(SUMMARY), freshDb(), () => SAVED_AT);
    expect(result).toEqual({ kind: 'live', summary: SUMMARY });
    expect(await db.snapshots.get('school-summary')).toEqual({
      key: 'school-summary',
      value: SUMMARY,
      savedAt: SAVED_AT.toISOString(),
    });
  });

  it('falls back to the saved copy when offline, saying when it was saved', async () => {
    const local = freshDb();
    await fetchSchoolSummary(online(SUMMARY), local, () => SAVED_AT);
    const result = await fetchSchoolSummary(offline, local, () => new Date());
    expect(result).toEqual({ kind: 'saved', summary: SUMMARY, savedAt: SAVED_AT.toISOString() });
  });

  it('refuses a malformed answer rather than showing or saving it', async () => {
    const result = await fetchSchoolSummary(online({ name: 'x' }), freshDb(), () => SAVED_AT);
    expect(result.kind).toBe('unavailable');
    expect(await db.snapshots.count()).toBe(0);
  });

  it('says the session has ended on a 401, without falling back to the saved copy', async () => {
    const local = freshDb();
    await fetchSchoolSummary(online(SUMMARY), local, () => SAVED_AT);
    const result = await fetchSchoolSummary(
      online({ error: 'sign-in-required', message: 'Please sign in.' }, 401),
      local,
      () => SAVED_AT,
    );
    expect(result).toEqual({ kind: 'signed-out' });
  });

  it('explains when there is neither a connection nor a saved copy', async () => {
    const result = await fetchSchoolSummary(offline, freshDb(), () => SAVED_AT);
    expect(result.kind).toBe('unavailable');
    expect(result.kind === 'unavailable' && result.message).toContain('could not be loaded');
  });

  it('shows any other refusal in the server’s words, without the saved copy', async () => {
    const local = freshDb();
    await fetchSchoolSummary(online(SUMMARY), local, () => SAVED_AT);
    const result = await fetchSchoolSummary(
      online({ error: 'forbidden', message: 'Your account cannot see this school.' }, 403),
      local,
      () => SAVED_AT,
    );
    expect(result).toEqual({ kind: 'unavailable', message: 'Your account cannot see this school.' });
  });

  it('falls back to the saved copy when the server is down, and asks with a timeout', async () => {
    const local = freshDb();
    await fetchSchoolSummary(online(SUMMARY), local, () => SAVED_AT);
    let signal: AbortSignal | null | undefined;
    const down: typeof fetch = (_input, init) => {
      signal = init?.signal;
      return Promise.resolve(new Response('Bad gateway', { status: 502 }));
    };
    const result = await fetchSchoolSummary(down, local, () => new Date());
    expect(result).toEqual({ kind: 'saved', summary: SUMMARY, savedAt: SAVED_AT.toISOString() });
    expect(signal).toBeInstanceOf(AbortSignal);
  });
});
