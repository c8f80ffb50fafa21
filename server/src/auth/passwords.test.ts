import { beforeEach, describe, expect, it, vi } from 'vitest';

const verify = vi.fn(() => Promise.resolve(false));
vi.mock('@node-rs/argon2', () => ({ hash: vi.fn(() => Promise.resolve('$argon2id$dummy')), verify }));

const { checkPassword, passwordProblem } = await import('./passwords.ts');

describe('checking a password', () => {
  beforeEach(() => {
    verify.mockClear();
  });

  it('runs the same Argon2 verification for an unknown account as for a known one', async () => {
    expect(await checkPassword(null, 'a guess at a password')).toBe(false);
    expect(verify).toHaveBeenCalledTimes(1);
    expect(await checkPassword('$argon2id$real', 'a guess at a password')).toBe(false);
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('never signs in an account without a password, whatever the verifier says', async () => {
    verify.mockResolvedValueOnce(true);
    expect(await checkPassword(null, 'not a real password, only for timing')).toBe(false);
  });
});

describe('new passwords', () => {
  it('need ten characters and must not be common', () => {
    expect(passwordProblem('short')).toContain('10 characters');
    expect(passwordProblem('qwertyuiop')).toContain('too common');
    expect(passwordProblem('Password123')).toContain('too common');
    expect(passwordProblem('a walk by the canal')).toBeNull();
  });
});
