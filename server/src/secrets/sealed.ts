import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/*
 * Secrets at rest (authenticator secrets, the Xporter secret) sealed with AES-256-GCM under the
 * server key. The "purpose" (table, column and row) is authenticated data: a sealed value copied
 * onto another row, or into another column, does not open.
 */

const PREFIX = 'sealed:v1:';

export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

export function seal(keyring: Keyring, plain: string, purpose: string): string {
  const { id, key } = keyring.current;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
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
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    throw new SealedSecretError(`The secret for ${purpose} does not open: it was altered or moved.`);
  }
}

/** HMAC-SHA-256 under one of the ring's keys, hex: the audit chain's link. */
export function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}
