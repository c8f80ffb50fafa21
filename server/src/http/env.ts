import type { Principal } from '@schoolping/shared';
import type { SessionRow } from '../auth/sessions.ts';
import type { IdentitySettings } from '../auth/settings.ts';
import type { UserRow } from '../auth/users.ts';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/database.ts';
import type { RateLimiter } from '../auth/rate-limit.ts';

/** What every request knows about who is asking, set by the session middleware. */
export interface AppEnv {
  Variables: {
    principal: Principal | null;
    session: SessionRow | null;
    user: UserRow | null;
  };
}

export interface IdentityContext {
  readonly db: Db;
  readonly clock: Clock;
  readonly settings: IdentitySettings;
  readonly limits: {
    readonly accountAtAddress: RateLimiter;
    readonly account: RateLimiter;
    readonly address: RateLimiter;
  };
  /** Behind a reverse proxy on the same machine: take the client address from X-Forwarded-For. */
  readonly trustProxy: boolean;
}
