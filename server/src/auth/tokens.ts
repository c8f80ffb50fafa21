import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: session ids, activation codes before formatting, recovery codes. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Tokens are stored only as hashes: a copy of the database holds nothing that signs anyone in. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A code a parent can type from a letter: 16 characters (80 bits) in groups of four, no 0/O or 1/I. */
export function humanCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((byte) => CODE_ALPHABET.charAt(byte % CODE_ALPHABET.length));
  return [0, 4, 8, 12].map((start) => chars.slice(start, start + 4).join('')).join('-');
}

/** What people type is forgiving about case, spaces and dashes. */
export function normaliseCode(code: string): string {
  const plain = code.toUpperCase().replace(/[^A-Z0-9]/g, '');
  return plain.length === 16 ? [0, 4, 8, 12].map((start) => plain.slice(start, start + 4)).join('-') : plain;
}
