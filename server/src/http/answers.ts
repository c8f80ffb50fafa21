import type { Context } from 'hono';
import { schoolById, type SchoolRow } from '../db/school-store.ts';
import type { AppContext, AppEnv } from './env.ts';

/** The signed-in person's school; routes never take a school from the request. */
export function schoolOf(context: AppContext, c: Context<AppEnv>): SchoolRow | null {
  return schoolById(context.db, c.get('principal')?.schoolId ?? 0);
}

export function noSchool(c: Context<AppEnv>): Response {
  return c.json({ error: 'no-school', message: 'Your school is not set up on this server.' }, 404);
}

/** The audit log's name for the person making a change. */
export function actorOf(c: Context<AppEnv>): string {
  return `user:${String(c.get('principal')?.userId ?? 0)}`;
}

/** A request body the shared schema refused: what was wrong, in a sentence, and that nothing changed. */
export function invalidRequest(
  c: Context<AppEnv>,
  issue: { readonly path: readonly PropertyKey[]; readonly message: string } | undefined,
): Response {
  const what = issue
    ? `${issue.path.map(String).join('.') || 'the request'}: ${issue.message}`
    : 'the request could not be read';
  return c.json({ error: 'invalid-request', message: `Nothing was saved: ${what}.` }, 400);
}
