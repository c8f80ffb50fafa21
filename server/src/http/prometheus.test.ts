import { afterEach, describe, expect, it } from 'vitest';
import { authFixture, type AuthFixture } from '../../test/auth-fixture.ts';
import { createApp } from '../app.ts';

let fixture: AuthFixture;
afterEach(() => {
  fixture.cleanup();
});

const from = (remoteAddress: string) => ({ incoming: { socket: { remoteAddress } } });

describe('/metrics', () => {
  it('answers on this machine in Prometheus format, counting requests by route pattern and status', async () => {
    fixture = authFixture();
    const teacher = await fixture.addUser('staff', ['staff']);
    await fixture.signIn(teacher.email);
    await fixture.signIn(teacher.email, 'a wrong password');
    const response = await fixture.app.request('http://localhost/metrics', {}, from('127.0.0.1'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toContain(
      'schoolping_http_requests_total{route="/api/auth/sign-in",method="POST",status="200"} 1',
    );
    expect(text).toContain(
      'schoolping_http_requests_total{route="/api/auth/sign-in",method="POST",status="401"} 1',
    );
    expect(text).toMatch(/schoolping_sessions_live \d+/);
    expect(text).toContain('schoolping_nodejs_eventloop_lag_seconds');
    // No personal data in any label.
    expect(text).not.toContain(teacher.email);
  });

  it('refuses others unless they bring the metrics token', async () => {
    fixture = authFixture();
    expect((await fixture.app.request('http://localhost/metrics', {}, from('192.168.1.20'))).status).toBe(
      403,
    );
    const withToken = createApp({
      db: fixture.db,
      clock: () => fixture.now,
      log: () => undefined,
      metricsToken: 's3cret-token',
    });
    const bad = await withToken.request(
      'http://localhost/metrics',
      { headers: { authorization: 'Bearer nope' } },
      from('192.168.1.20'),
    );
    expect(bad.status).toBe(403);
    // A forged X-Forwarded-For saying loopback changes nothing.
    const forged = await withToken.request(
      'http://localhost/metrics',
      { headers: { 'x-forwarded-for': '127.0.0.1' } },
      from('192.168.1.20'),
    );
    expect(forged.status).toBe(403);
    const good = await withToken.request(
      'http://localhost/metrics',
      { headers: { authorization: 'Bearer s3cret-token' } },
      from('192.168.1.20'),
    );
    expect(good.status).toBe(200);
  });

  it('counts rate-limit refusals', async () => {
    fixture = authFixture();
    for (let i = 0; i < 7; i++) await fixture.signIn('nobody@example.org', `guess ${i}`);
    const text = await (await fixture.app.request('http://localhost/metrics', {}, from('::1'))).text();
    expect(text).toContain('schoolping_rate_limited_total{reason="sign-in"} 2');
  });
});
