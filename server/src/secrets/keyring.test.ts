import { mkdtempSync, rmSync, statSync } from 'node:fs';
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
    const next = addKey(path, keyring, NOW);
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
