import type { Keyring } from '../secrets/keyring.ts';
import type { Db } from './database.ts';

/*
 * The server key travels with the open database: whatever writes the audit log or reads a sealed
 * secret through this connection uses the keyring it was opened with, and no other.
 */

const keyrings = new WeakMap<Db, Keyring>();

export function attachKeyring(db: Db, keyring: Keyring): void {
  keyrings.set(db, keyring);
}

export function keyringFor(db: Db): Keyring {
  const keyring = keyrings.get(db);
  if (!keyring) throw new Error('This database was opened without the server key.');
  return keyring;
}
