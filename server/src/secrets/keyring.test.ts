import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addKey, KeyFileError, loadOrCreateKeyring, readKeyFile } from './keyring.ts';
import { seal, SealedSecretError, unseal } from './sealed.ts';

const dirs: string[] = [];
const temp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'schoolping-key-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const NOW = new Date('2026-11-10T10:00:00Z');

describe('the server key file', () => {
  it('is created on first start, readable by its owner only, with a sentence saying so', () => {
    const path = join(temp(), 'keys', 'server-key.json');
    const first = loadOrCreateKeyring(path, temp(), NOW);
    expect(first.created).toContain(path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const again = loadOrCreateKeyring(path, temp(), NOW);
    expect(again.created).toBeNull();
    expect(again.keyring.current.key.equals(first.keyring.current.key)).toBe(true);
  });

  it('is refused inside the data folder, even through a path that walks back into it', () => {
    const dataDir = temp();
    expect(() => loadOrCreateKeyring(join(dataDir, 'key.json'), dataDir, NOW)).toThrow(KeyFileError);
    expect(() => loadOrCreateKeyring(join(dataDir, 'x', '..', 'key.json'), dataDir, NOW)).toThrow(
      /inside the data folder/,
    );
  });

  it('refuses a damaged file with a clear error', () => {
    const path = join(temp(), 'key.json');
    loadOrCreateKeyring(path, temp(), NOW);
    rmSync(path);
    expect(() => readKeyFile(path)).toThrow(/cannot be read/);
  });

  it('keeps older keys after rotation, so what they sealed still opens', () => {
    const path = join(temp(), 'key.json');
    const { keyring } = loadOrCreateKeyring(path, temp(), NOW);
    const old = seal(keyring, 'the secret', 'purpose:1');
    const next = addKey(path, NOW);
    expect(next.current.id).toBe('k2');
    const reread = readKeyFile(path);
    expect(unseal(reread, old, 'purpose:1')).toBe('the secret');
    expect(seal(reread, 'x', 'p')).toMatch(/^sealed:v1:k2:/);
  });
});

describe('sealed secrets', () => {
  it('open only with their purpose, and never once altered', () => {
    const { keyring } = loadOrCreateKeyring(join(temp(), 'key.json'), temp(), NOW);
    const sealed = seal(keyring, 'JBSWY3DPEHPK3PXP', 'users.totp_secret:1');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(unseal(keyring, sealed, 'users.totp_secret:1')).toBe('JBSWY3DPEHPK3PXP');
    expect(() => unseal(keyring, sealed, 'users.totp_secret:2')).toThrow(SealedSecretError);
    const parts = sealed.split(':');
    const body = parts[parts.length - 1] ?? '';
    const flipped = `${body.slice(0, -2)}${body.endsWith('A') ? 'B' : 'A'}${body.slice(-1)}`;
    expect(() => unseal(keyring, [...parts.slice(0, -1), flipped].join(':'), 'users.totp_secret:1')).toThrow(
      SealedSecretError,
    );
    expect(() => unseal(keyring, 'JBSWY3DPEHPK3PXP', 'users.totp_secret:1')).toThrow(/not sealed/);
  });
});

describe('the server database and its key', () => {
  it('will not start with a missing key file once the database was sealed, nor make a new key', async () => {
    const { openServerDatabase } = await import('./startup.ts');
    const dataDir = temp();
    const keyFile = join(temp(), 'key.json');
    const said: string[] = [];
    const db = openServerDatabase(dataDir, keyFile, NOW, (line) => said.push(line));
    expect(said[0]).toContain('Created a new server key');
    db.close();
    rmSync(keyFile);
    expect(() => openServerDatabase(dataDir, keyFile, NOW, () => undefined)).toThrow(
      /is missing.*sealed with key k1/,
    );
    expect(existsSync(keyFile)).toBe(false);
  });

  it('finds a key added by key-rotate while the server runs', () => {
    const path = join(temp(), 'key.json');
    const { keyring } = loadOrCreateKeyring(path, temp(), NOW);
    const added = addKey(path, NOW);
    expect(keyring.byId('k2')?.equals(added.byId('k2') ?? Buffer.alloc(0))).toBe(true);
    expect(keyring.current.id).toBe('k2');
  });

  it('refuses a key file others can read', () => {
    const path = join(temp(), 'key.json');
    loadOrCreateKeyring(path, temp(), NOW);
    chmodSync(path, 0o644);
    expect(() => readKeyFile(path)).toThrow(/chmod 600/);
  });
});
