import { schoolSettingsSchema } from '@schoolping/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestFixture, type IngestFixture } from '../../test/ingest-fixture.ts';

let fixture: IngestFixture;
afterEach(() => {
  fixture.cleanup();
});

const admin = (f: IngestFixture) => ({
  ...f.as(['staff', 'school-admin']),
  'content-type': 'application/json',
});
const settings = async (f: IngestFixture) =>
  schoolSettingsSchema.parse(
    await (await f.app.request('/api/school/settings', { headers: admin(f) })).json(),
  );
const save = (f: IngestFixture, body: unknown) =>
  f.app.request('/api/school/settings', {
    method: 'POST',
    headers: admin(f),
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('school settings', () => {
  it('saves what changed, auditing each setting from and to, and leaves the rest', async () => {
    fixture = ingestFixture();
    expect(await settings(fixture)).toEqual({
      lateAfterHours: 26,
      adminMfaRequired: true,
      emailIncludesText: false,
    });
    const saved = await save(fixture, {
      lateAfterHours: 48,
      emailIncludesText: true,
      adminMfaRequired: true,
    });
    expect(await saved.json()).toEqual({
      lateAfterHours: 48,
      adminMfaRequired: true,
      emailIncludesText: true,
    });
    const audited = fixture.db
      .prepare("SELECT detail FROM audit_log WHERE action = 'setting-change' ORDER BY id")
      .pluck()
      .all() as string[];
    // Two changed; the authenticator rule was sent as it was, so it is not logged.
    expect(audited.map((detail) => JSON.parse(detail) as unknown)).toEqual([
      { setting: 'lateAfterHours', from: '26', to: '48' },
      { setting: 'emailIncludesText', from: 'false', to: 'true' },
    ]);
  });

  it('refuses values out of range or of the wrong kind, changing nothing', async () => {
    fixture = ingestFixture();
    for (const bad of [
      { lateAfterHours: 0 },
      { lateAfterHours: 337 },
      { lateAfterHours: 1.5 },
      { lateAfterHours: '48' },
      { adminMfaRequired: 'no' },
      { emailIncludesText: 1 },
      'not json',
      [],
    ]) {
      const refused = await save(fixture, bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(((await refused.json()) as { message: string }).message).toMatch(/^Nothing was saved/);
    }
    expect(await settings(fixture)).toEqual({
      lateAfterHours: 26,
      adminMfaRequired: true,
      emailIncludesText: false,
    });
    expect((await save(fixture, { lateAfterHours: 12, padding: 'x'.repeat(100_000) })).status).toBe(413);
    expect((await settings(fixture)).lateAfterHours).toBe(26);
  });
});
