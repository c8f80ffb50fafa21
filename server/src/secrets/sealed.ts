import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/*
 * Secrets at rest (authenticator secrets, the Xporter secret) sealed with AES-256-GCM under the
 * server key. The "purpose" (table, column and row) is authenticated data: a sealed value copied
 * onto another row, or into another column, does not open. Sealing, the audit MAC and the key's
 * fingerprint each use their own key, derived from the server key with HKDF.
 */

const PREFIX = 'sealed:v1:';
const TAG_BYTES = 16;

type Use = 'seal' | 'audit' | 'fingerprint';
const derived = new WeakMap<Buffer, Map<Use, Buffer>>();

/** The key for one use, derived from a server key (and remembered, since it never changes). */
export function subkey(key: Buffer, use: Use): Buffer {
  const uses = derived.get(key) ?? new Map<Use, Buffer>();
  derived.set(key, uses);
  let sub = uses.get(use);
  if (!sub) {
    sub = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `schoolping ${use} v1`, 32));
    uses.set(use, sub);
  }
  return sub;
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function seal(keyring: Keyring, plain: string, purpose: string): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', subkey(key, 'seal'), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(purpose, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `${PREFIX}${id}:${iv.toString('base64url')}:${tag.toString('base64url')}:${body.toString('base64url')}`;
}

export class SealedSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealedSecretError';
  }
}

export function unseal(keyring: Keyring, stored: string, purpose: string): string {
  if (!isSealed(stored)) throw new SealedSecretError(`The secret for ${purpose} is not sealed.`);
  const [id, iv, tag, body] = stored.slice(PREFIX.length).split(':');
  const key = id === undefined ? undefined : keyring.byId(id);
  if (!key || iv === undefined || tag === undefined || body === undefined)
    throw new SealedSecretError(
      `The secret for ${purpose} was sealed with key ${id ?? '?'}, which is not in the server key file.`,
    );
  const tagBytes = Buffer.from(tag, 'base64url');
  if (tagBytes.length !== TAG_BYTES)
    throw new SealedSecretError(`The secret for ${purpose} does not open: it was altered or moved.`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', subkey(key, 'seal'), Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedSecretError(`The secret for ${purpose} does not open: it was altered or moved.`);
  }
}

/** HMAC-SHA-256 under a server key's audit subkey, hex: the audit chain's link. */
export function mac(key: Buffer, text: string): string {
  return createHmac('sha256', subkey(key, 'audit')).update(text).digest('hex');
}

/** Names a key without revealing it: stored in the database, so a different key is noticed. */
export function fingerprint(key: Buffer): string {
  return createHash('sha256').update(subkey(key, 'fingerprint')).digest('hex');
}
