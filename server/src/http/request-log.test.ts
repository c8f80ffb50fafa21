import { describe, expect, it } from 'vitest';
import { authFixture } from '../../test/auth-fixture.ts';
import { createApp } from '../app.ts';
import { createLogger } from './request-log.ts';

describe('the request log', () => {
  it('is one JSON line per request with a request id, and holds no email or name', async () => {
    const fixture = authFixture();
    try {
      const lines: string[] = [];
      const logger = createLogger({ LOG_FORMAT: 'json' }, { write: (line: string) => void lines.push(line) });
      const app = createApp({ db: fixture.db, clock: () => fixture.now, logger });
      const teacher = await fixture.addUser('staff', ['staff']);
      const signIn = (password: string) =>
        Promise.resolve(
          app.request('http://localhost/api/auth/sign-in?from=somewhere', {
            method: 'POST',
            body: JSON.stringify({ email: teacher.email, password }),
            headers: { 'content-type': 'application/json', origin: 'http://localhost' },
          }),
        );
      const good = await signIn('correct horse battery');
      await signIn('a wrong password');
      expect(good.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(entries).toHaveLength(2);
      expect(entries[0]).toMatchObject({ method: 'POST', route: '/api/auth/sign-in', status: 200 });
      expect(entries[1]).toMatchObject({ status: 401 });
      expect(entries[0]?.reqId).toBe(good.headers.get('x-request-id'));
      expect(typeof entries[0]?.ms).toBe('number');
      const all = lines.join('');
      expect(all).not.toContain(teacher.email);
      expect(all).not.toContain(teacher.name);
      expect(all).not.toContain('somewhere');
    } finally {
      fixture.cleanup();
    }
  });
});
