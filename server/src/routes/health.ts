import { Hono } from 'hono';
import type { Db } from '../db/database.ts';

export function healthRoutes(db: Db) {
  return new Hono().get('/', (c) => {
    const integrity = db.pragma('quick_check', { simple: true });
    const schemaVersion = db.pragma('user_version', { simple: true }) as number;
    const isOk = integrity === 'ok';
    return c.json({ status: isOk ? 'ok' : 'degraded', database: integrity, schemaVersion }, isOk ? 200 : 503);
  });
}
