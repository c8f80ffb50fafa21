import { closeSync, constants, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import webpush from 'web-push';
import { z } from 'zod';

/** The server's Web Push identity (VAPID): made on first start, kept in the data folder. */
export interface VapidKeys {
  readonly publicKey: string;
  readonly privateKey: string;
}

const FILE = 'push-keys.json';
const keysSchema = z.object({ publicKey: z.string().min(80), privateKey: z.string().min(40) });

export function loadOrCreateVapidKeys(dataDir: string): VapidKeys {
  const path = join(dataDir, FILE);
  try {
    return keysSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error(
        `${path} is not a Web Push key file: remove it to make new keys (every phone subscribes again).`,
        { cause: error },
      );
  }
  const keys = webpush.generateVAPIDKeys();
  let fd: number;
  try {
    // O_EXCL: two servers starting on one folder at once cannot each write their own keys.
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateVapidKeys(dataDir);
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(keys));
  } finally {
    closeSync(fd);
  }
  return keys;
}
