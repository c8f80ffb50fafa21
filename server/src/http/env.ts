import type { Principal } from '@schoolping/shared';
import type { SessionRow } from '../auth/sessions.ts';
import type { IdentitySettings } from '../auth/settings.ts';
import type { UserRow } from '../auth/users.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { RateLimiter } from '../auth/rate-limit.ts';
import type { Keyring } from '../secrets/keyring.ts';
import type { ProxyTrust } from './client-address.ts';
import type { LogSampler } from './log-sampler.ts';
import type { Telemetry } from './prometheus.ts';

/** What every request knows about who is asking, set by the session middleware. */
export interface AppEnv {
  Variables: {
    principal: Principal | null;
    session: SessionRow | null;
    user: UserRow | null;
  };
}

/**
 * What every route is given: the database, the clock, the server key, identity settings, rate
 * limits, proxy trust, metrics and the log. One bag for the whole app, built in createApp.
 */
export interface AppContext {
  readonly db: Db;
  readonly clock: Clock;
  /**
   * Real time, for authenticator codes: the phone that makes them keeps real time even when the
   * server runs as of another date (SCHOOLPING_CLOCK).
   */
  readonly authenticatorClock: Clock;
  /** The server key: seals authenticator secrets; the audit chain's MAC key. */
  readonly keys: Keyring;
  readonly settings: IdentitySettings;
  readonly limits: {
    readonly accountAtAddress: RateLimiter;
    readonly account: RateLimiter;
    readonly address: RateLimiter;
    readonly secondFactor: RateLimiter;
  };
  /** Reverse proxies of ours in front of the server, and where they connect from. */
  readonly proxies: ProxyTrust;
  /** Paces the log line about anonymous refusals. */
  readonly anonymousRefusalLog: LogSampler;
  /** Prometheus counters and gauges, served at /metrics. */
  readonly telemetry: Telemetry;
  readonly log: (line: string) => void;
}
