import { describe, expect, it } from 'vitest';
import type { Me } from './auth';
import { decideSession, hasExpired, shouldLockOnReturn } from './session-decision';

const ME: Me = {
  userId: 7,
  schoolId: 1,
  name: 'Karen Daley',
  email: 'karen.daley@example.org',
  kind: 'parent',
  roles: ['parent'],
  isReadOnly: false,
  needsMfaSetup: false,
  totpEnabled: false,
  sessionExpiresAt: '2026-12-01T09:00:00.000Z',
  serverNow: '2026-12-01T08:00:00.000Z',
  idleMinutes: 43_200,
};
const BEFORE_END = new Date('2026-12-01T08:59:59.999Z');
const AT_END = new Date('2026-12-01T09:00:00.000Z');

describe('decideSession', () => {
  it('trusts the server whenever it answers', () => {
    const fresh = { ...ME, sessionExpiresAt: '2027-01-01T00:00:00.000Z' };
    expect(decideSession({ kind: 'me', me: fresh }, ME, AT_END)).toEqual({
      kind: 'signed-in',
      me: fresh,
      isFromServer: true,
      shouldWipe: false,
    });
  });

  it('keeps the offline shell signed in from the saved copy until the absolute end', () => {
    expect(decideSession({ kind: 'unreachable' }, ME, BEFORE_END)).toEqual({
      kind: 'signed-in',
      me: ME,
      isFromServer: false,
      shouldWipe: false,
    });
  });

  it('signs out offline at the absolute end, and wipes what was saved', () => {
    expect(decideSession({ kind: 'unreachable' }, ME, AT_END)).toEqual({
      kind: 'signed-out',
      reason: 'expired',
      shouldWipe: true,
    });
  });

  it('signs out on a 401 while online, however long the saved copy had left', () => {
    expect(decideSession({ kind: 'signed-out' }, ME, BEFORE_END)).toEqual({
      kind: 'signed-out',
      reason: 'ended',
      shouldWipe: true,
    });
  });

  it('has nothing to wipe for someone who was never signed in here', () => {
    expect(decideSession({ kind: 'signed-out' }, null, BEFORE_END)).toEqual({
      kind: 'signed-out',
      reason: 'none',
      shouldWipe: false,
    });
    expect(decideSession({ kind: 'unreachable' }, null, BEFORE_END)).toEqual({
      kind: 'signed-out',
      reason: 'none',
      shouldWipe: false,
    });
  });

  it('wipes another person’s things before showing the one the server says is signed in', () => {
    const other = { ...ME, userId: 8, name: 'Sam Other' };
    expect(decideSession({ kind: 'me', me: other }, ME, BEFORE_END)).toMatchObject({
      kind: 'signed-in',
      me: other,
      shouldWipe: true,
    });
  });
});

describe('hasExpired', () => {
  it('counts the end instant itself as expired', () => {
    expect(hasExpired(ME, BEFORE_END)).toBe(false);
    expect(hasExpired(ME, AT_END)).toBe(true);
  });
});

describe('shouldLockOnReturn', () => {
  const STAFF: Me = { ...ME, kind: 'staff', roles: ['staff'], idleMinutes: 5 };
  const NOW = new Date('2026-11-28T10:00:00.000Z');

  it('locks a staff session whose idle time passed while the tab was closed', () => {
    expect(shouldLockOnReturn(STAFF, '2026-11-28T09:55:00.000Z', NOW)).toBe(true);
    expect(shouldLockOnReturn(STAFF, '2026-11-28T09:55:00.001Z', NOW)).toBe(false);
  });

  it('locks a staff session with no recorded use, or an unreadable one', () => {
    expect(shouldLockOnReturn(STAFF, null, NOW)).toBe(true);
    expect(shouldLockOnReturn(STAFF, 'yesterday', NOW)).toBe(true);
  });

  it('never locks a parent', () => {
    expect(shouldLockOnReturn(ME, null, NOW)).toBe(false);
  });
});
