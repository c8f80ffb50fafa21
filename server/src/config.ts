import { resolve } from 'node:path';

import type { IdentitySettings } from './auth/settings.ts';
import { LOCAL_PROXIES, parseProxyAddresses } from './http/client-address.ts';
import { keyFilePath } from './secrets/keyring.ts';

export interface ServerConfig {
  readonly port: number;
  readonly dataDir: string;
  /** Timeouts and grace periods from the environment; defaults where not given. */
  readonly identity: Partial<IdentitySettings>;
  /**
   * TRUST_PROXY=N: N reverse proxies of ours stand in front of the server, each appending to
   * X-Forwarded-For; the client is the N-th entry from the right. 0 (the default) trusts none.
   */
  readonly trustedProxies: number;
  /** TRUSTED_PROXY_ADDRESSES: where the nearest proxy connects from (default: this machine). */
  readonly proxyAddresses: readonly string[];
  /** SECRET_KEY_FILE: the server key, outside the data folder. */
  readonly keyFile: string;
  /** METRICS_TOKEN: a scraper elsewhere sends it to read /metrics (this machine needs none). */
  readonly metricsToken: string | undefined;
  /** NO_DEMO=1: start empty instead of loading the demo school on the first run. */
  readonly loadDemo: boolean;
  /** SMTP_URL: where emails to parents go (none configured: none are sent). */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM: the sender of those emails. */
  readonly mailFrom: string;
  /** APP_URL: the app's address, for links in emails (default http://localhost:PORT). */
  readonly appUrl: string;
  /** PUSH_CONTACT: who push services may contact about our pushes (a mailto: or https: address). */
  readonly pushContact: string;
  /** WEB_BUILD_DIR: the built PWA to serve, when not the repository's web/build. */
  readonly webBuildDir: string | undefined;
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

function proxiesFrom(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 10)
    throw new RangeError(
      `TRUST_PROXY must be the number of reverse proxies in front of the server (0 to 10), got ${text}`,
    );
  return value;
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
    trustedProxies: proxiesFrom(env.TRUST_PROXY),
    proxyAddresses: env.TRUSTED_PROXY_ADDRESSES
      ? parseProxyAddresses(env.TRUSTED_PROXY_ADDRESSES)
      : LOCAL_PROXIES,
    keyFile: keyFilePath(env),
    metricsToken: env.METRICS_TOKEN === '' ? undefined : env.METRICS_TOKEN,
    loadDemo: env.NO_DEMO !== '1',
    smtpUrl: env.SMTP_URL === '' ? undefined : env.SMTP_URL,
    mailFrom: env.MAIL_FROM ?? 'SchoolPing <no-reply@localhost>',
    appUrl: (env.APP_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    pushContact: env.PUSH_CONTACT ?? 'mailto:admin@localhost',
    webBuildDir: env.WEB_BUILD_DIR ? resolve(env.INIT_CWD ?? process.cwd(), env.WEB_BUILD_DIR) : undefined,
  };
}
