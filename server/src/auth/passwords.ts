import { hash, verify, type Options } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';
import { WorkQueue } from './work-queue.ts';

/** OWASP's minimum for Argon2id: 19 MiB, two passes, one lane. */
// The library's default algorithm is Argon2id (its const enum cannot be named under
// verbatimModuleSyntax); a test checks every stored hash says $argon2id$.
export const ARGON2_OPTIONS: Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const MIN_PASSWORD_LENGTH = 10;

const COMMON = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));

/** Why a new password is not acceptable, in words a parent understands; null if it is fine. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 256) return 'Use at most 256 characters.';
  if (COMMON.has(password.toLowerCase()))
    return 'That password is too common; choose one that is harder to guess.';
  return null;
}

/**
 * Every Argon2 hash and check in the process goes through this queue: two at a time (one per core,
 * 2 × 19 MiB at most) and a short wait list; beyond it the caller gets QueueFullError at once.
 */
export const argon2Queue = new WorkQueue(2, 16);

export function hashPassword(password: string): Promise<string> {
  return argon2Queue.run(() => hash(password, ARGON2_OPTIONS));
}

// Verified when the email is unknown, so that answer takes as long as a wrong password does.
const DUMMY_HASH = hash('not a real password, only for timing', ARGON2_OPTIONS);

/** True only for the right password; `storedHash` null (no account, or not activated) is checked against a dummy. */
export async function checkPassword(storedHash: string | null, password: string): Promise<boolean> {
  const target = storedHash ?? (await DUMMY_HASH);
  const isMatch = await argon2Queue.run(() => verify(target, password).catch(() => false));
  return storedHash !== null && isMatch;
}
