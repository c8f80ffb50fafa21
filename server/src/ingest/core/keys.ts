import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from '../../db/database.ts';

const PREFIX = 'spi_';

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/**
 * Issue a new ingest key for a school, replacing any old one. The key is 256 random bits, so a
 * plain SHA-256 is enough to store it: there is nothing to guess, unlike a password.
 */
export function rotateIngestKey(db: Db, schoolId: number, now: Date): string {
  const key = PREFIX + randomBytes(32).toString('base64url');
  db.prepare(
    `INSERT INTO ingest_keys (school_id, key_hash, created_at) VALUES (?, ?, ?)
     ON CONFLICT (school_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at`,
  ).run(schoolId, hashKey(key), now.toISOString());
  return key;
}

/** The school an ingest key belongs to, or null. */
export function schoolForKey(db: Db, key: string): number | null {
  if (!key.startsWith(PREFIX) || key.length > 200) return null;
  const hash = hashKey(key);
  const row = db.prepare('SELECT school_id, key_hash FROM ingest_keys WHERE key_hash = ?').get(hash) as
    { school_id: number; key_hash: string } | undefined;
  if (!row || !timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(hash))) return null;
  return row.school_id;
}
