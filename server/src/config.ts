import { resolve } from 'node:path';

import type { IdentitySettings } from './auth/settings.ts';

export interface ServerConfig {
  readonly port: number;
  readonly dataDir: string;
  /** Timeouts and grace periods from the environment; defaults where not given. */
  readonly identity: Partial<IdentitySettings>;
  /** TRUST_PROXY=1: a reverse proxy on this machine names the client in X-Forwarded-For. */
  readonly trustProxy: boolean;
  /** NO_DEMO=1: start empty instead of loading the demo school on the first run. */
  readonly loadDemo: boolean;
}

const IDENTITY_ENV: Record<keyof IdentitySettings, string> = {
  staffIdleMinutes: 'STAFF_IDLE_MINUTES',
  parentIdleMinutes: 'PARENT_IDLE_MINUTES',
  staffAbsoluteHours: 'STAFF_SESSION_HOURS',
  parentAbsoluteHours: 'PARENT_SESSION_HOURS',
  activationDays: 'ACTIVATION_CODE_DAYS',
  leaverReadOnlyDays: 'LEAVER_READ_ONLY_DAYS',
};

function identityFrom(env: NodeJS.ProcessEnv): Partial<IdentitySettings> {
  const settings: Partial<Record<keyof IdentitySettings, number>> = {};
  for (const [key, name] of Object.entries(IDENTITY_ENV) as [keyof IdentitySettings, string][]) {
    const text = env[name];
    if (text === undefined) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0)
      throw new RangeError(`${name} must be a whole number above 0, got ${text}`);
    settings[key] = value;
  }
  return settings;
}

/** PORT (default 3000) and DATA_DIR (default ./data, from where the server was started). */
export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new RangeError(`PORT must be a port number, got ${env.PORT}`);
  return {
    port,
    dataDir: resolve(env.INIT_CWD ?? process.cwd(), env.DATA_DIR ?? 'data'),
    identity: identityFrom(env),
    trustProxy: env.TRUST_PROXY === '1',
    loadDemo: env.NO_DEMO !== '1',
  };
}
