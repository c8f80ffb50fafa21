import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
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
  /** The key new seals and audit rows use: the newest. */
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

/**
 * The keyring in a file, read again when a key id it does not know turns up: `key-rotate` run
 * beside a running server adds a key that the server then finds (and uses from then on).
 */
class FileKeyring implements Keyring {
  #ring: Keyring;
  #lastReload = 0;

  constructor(
    readonly path: string,
    ring: Keyring,
  ) {
    this.#ring = ring;
  }

  get current(): ServerKey {
    return this.#ring.current;
  }

  get all(): readonly ServerKey[] {
    return this.#ring.all;
  }

  byId(id: string): Buffer | undefined {
    const known = this.#ring.byId(id);
    if (known || Date.now() - this.#lastReload < 1000) return known;
    this.#lastReload = Date.now();
    try {
      this.#ring = readKeyFile(this.path);
    } catch {
      // The file being replaced this instant, or gone: keep what we have.
    }
    return this.#ring.byId(id);
  }
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

/**
 * Read the key file, or create it (mode 600, refusing to overwrite one made meanwhile) when
 * `mayCreate`. Refuses a key file inside the data folder.
 */
export function loadOrCreateKeyring(
  path: string,
  dataDir: string,
  now: Date,
  mayCreate: (path: string) => void = () => undefined,
): LoadedKeyring {
  if (isInside(path, dataDir)) {
    throw new KeyFileError(
      `SECRET_KEY_FILE (${path}) is inside the data folder (${dataDir}). Keep the server key elsewhere, ` +
        'so that a copy of the data folder is not enough to read its secrets or rewrite its audit log.',
    );
  }
  if (!existsSync(path)) {
    // Throws when a key must already exist (the database was sealed with one).
    mayCreate(path);
    const first: ServerKey = { id: 'k1', key: randomBytes(32), createdAt: now.toISOString() };
    try {
      writeKeyFile(path, [first], now, { exclusive: true });
    } catch (error) {
      // Another process (the CLI, a second start) made it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return { keyring: new FileKeyring(path, readKeyFile(path)), created: null };
    }
    return {
      keyring: new FileKeyring(path, keyringOf([first])),
      created:
        `Created a new server key in ${path}. Back it up apart from the data folder: without it the ` +
        'authenticator and Xporter secrets cannot be read and the audit log cannot be verified.',
    };
  }
  return { keyring: new FileKeyring(path, readKeyFile(path)), created: null };
}

export function readKeyFile(path: string): Keyring {
  let text: unknown;
  try {
    const mode = statSync(path).mode;
    if ((mode & 0o077) !== 0)
      throw new KeyFileError(
        `The server key file ${path} can be read by other users (mode ${(mode & 0o777).toString(8)}); run: chmod 600 ${path}`,
      );
    text = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof KeyFileError) throw error;
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
export function addKey(path: string, now: Date): Keyring {
  const latest = readKeyFile(path);
  const next = Math.max(...latest.all.map((each) => Number(each.id.slice(1)))) + 1;
  const keys = [...latest.all, { id: `k${next}`, key: randomBytes(32), createdAt: now.toISOString() }];
  writeKeyFile(path, keys, now, { exclusive: false });
  return new FileKeyring(path, keyringOf(keys));
}

function writeKeyFile(
  path: string,
  keys: readonly ServerKey[],
  now: Date,
  { exclusive }: { exclusive: boolean },
): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const file: KeyFile = {
    version: 1,
    keys: keys.map((each) => ({
      id: each.id,
      createdAt: each.createdAt ?? now.toISOString(),
      key: each.key.toString('base64'),
    })),
  };
  const text = `${JSON.stringify(file, null, 2)}\n`;
  // Written whole under a name no one else can have claimed ('wx' follows no symlink), then renamed.
  const target = exclusive ? path : `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(target, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  if (!exclusive) {
    try {
      renameSync(target, path);
    } catch (error) {
      rmSync(target, { force: true });
      throw error;
    }
  }
}
