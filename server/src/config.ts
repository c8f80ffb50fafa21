import { resolve } from 'node:path';

export interface ServerConfig {
  readonly port: number;
  readonly dataDir: string;
}

/** PORT (default 3000) and DATA_DIR (default ./data, from where the server was started). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`PORT must be a port number, got ${env.PORT}`);
  return { port, dataDir: resolve(env.INIT_CWD ?? process.cwd(), env.DATA_DIR ?? 'data') };
}
