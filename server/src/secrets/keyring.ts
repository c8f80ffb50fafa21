import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { z } from 'zod';

/*
 * The server key: kept outside the data folder, so that whoever can write the data folder (a
 * backup restored by hand, a stolen disk image) cannot read the secrets in it or rewrite the audit
 * chain. A keyring, newest key last: rotation adds a key and re-seals the secrets with it; older
 * keys stay to verify the audit rows written under them.
 */

export interface ServerKey {
  readonly id: string;
  readonly key: Buffer;
  readonly createdAt?: string;
}

export interface Keyring {
  readonly current: ServerKey;
  byId(id: string): Buffer | undefined;
  readonly all: readonly ServerKey[];
}

const keyFileSchema = z.object({
  version: z.literal(1),
  keys: z.array(z.object({ id: z.string().regex(/^k\d+$/), createdAt: z.string(), key: z.string() })).min(1),
});
type KeyFile = z.infer<typeof keyFileSchema>;

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

export function keyringOf(keys: readonly ServerKey[]): Keyring {
  const current = keys[keys.length - 1];
  if (!current) throw new KeyFileError('The key file holds no keys.');
  const byId = new Map(keys.map((each) => [each.id, each.key]));
  return { current, all: keys, byId: (id) => byId.get(id) };
}

/** A fresh keyring held only in memory (tests, and tools that never write secrets). */
export function ephemeralKeyring(): Keyring {
  return keyringOf([{ id: 'k1', key: randomBytes(32) }]);
}

/** SECRET_KEY_FILE, or a file in the user's config folder (never in the data folder). */
export function keyFilePath(env: NodeJS.ProcessEnv): string {
  if (env.SECRET_KEY_FILE) return resolve(env.INIT_CWD ?? process.cwd(), env.SECRET_KEY_FILE);
  const config = env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  return join(config, 'schoolping', 'server-key.json');
}

function isInside(child: string, parent: string): boolean {
  const real = (path: string): string => {
    // The key file may not exist yet: compare its folder's real path.
    if (existsSync(path)) return realpathSync(path);
    return existsSync(dirname(path))
      ? join(realpathSync(dirname(path)), relative(dirname(path), path))
      : path;
  };
  const path = relative(real(parent), real(child));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

export interface LoadedKeyring {
  readonly keyring: Keyring;
  /** Set when the file was made just now: the sentence to print, once. */
  readonly created: string | null;
}

/** Read the key file, creating it (mode 600) on first start. Refuses one inside the data folder. */
export function loadOrCreateKeyring(path: string, dataDir: string, now: Date): LoadedKeyring {
  if (isInside(path, dataDir)) {
    throw new KeyFileError(
      `SECRET_KEY_FILE (${path}) is inside the data folder (${dataDir}). Keep the server key elsewhere, ` +
        'so that a copy of the data folder is not enough to read its secrets or rewrite its audit log.',
    );
  }
  if (!existsSync(path)) {
    const first: ServerKey = { id: 'k1', key: randomBytes(32) };
    writeKeyFile(path, [first], now);
    return {
      keyring: keyringOf([first]),
      created:
        `Created a new server key in ${path}. Back it up apart from the data folder: without it the ` +
        'authenticator and Xporter secrets cannot be read and the audit log cannot be verified.',
    };
  }
  return { keyring: readKeyFile(path), created: null };
}

export function readKeyFile(path: string): Keyring {
  let text: unknown;
  try {
    text = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new KeyFileError(
      `The server key file ${path} cannot be read (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
  const parsed = keyFileSchema.safeParse(text);
  if (!parsed.success)
    throw new KeyFileError(`The server key file ${path} is not in a format this server knows.`);
  return keyringOf(
    parsed.data.keys.map((entry) => {
      const key = Buffer.from(entry.key, 'base64');
      if (key.length !== 32)
        throw new KeyFileError(`The server key file ${path} holds a damaged key (${entry.id}).`);
      return { id: entry.id, key, createdAt: entry.createdAt };
    }),
  );
}

/** Add a new key, newest last, and write the file anew (whole, then renamed over the old one). */
export function addKey(path: string, keyring: Keyring, now: Date): Keyring {
  const next = Number(keyring.current.id.slice(1)) + 1;
  const keys = [...keyring.all, { id: `k${next}`, key: randomBytes(32) }];
  writeKeyFile(path, keys, now);
  return keyringOf(keys);
}

function writeKeyFile(path: string, keys: readonly ServerKey[], now: Date): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const file: KeyFile = {
    version: 1,
    keys: keys.map((each) => ({
      id: each.id,
      createdAt: each.createdAt ?? now.toISOString(),
      key: each.key.toString('base64'),
    })),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
