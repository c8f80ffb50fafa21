import {
  canReadDoc,
  canWriteDoc,
  DOC_KINDS,
  ROUTE_POLICY,
  type DocRef,
  type Principal,
  type RouteId,
} from '@schoolping/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../db/school-store.ts';
import { accessFor } from './access.ts';
import { authFixture, cookieFrom, type AuthFixture } from '../../test/auth-fixture.ts';
import { DEFAULT_IDENTITY } from './settings.ts';
import type { UserRow } from './users.ts';

/*
 * Everyone × every route and document kind. The expected cells are written out here by hand, from
 * the design, not derived from the policy module: if the policy drifts, this table says so.
 */

type Who =
  'parent A' | 'parent B' | 'staff' | 'payments admin' | 'school admin' | 'signed out' | 'other school staff';
const WHO: readonly Who[] = [
  'parent A',
  'parent B',
  'staff',
  'payments admin',
  'school admin',
  'signed out',
  'other school staff',
];

const Y = true;
const N = false;
// Columns: parent A, parent B, staff, payments admin, school admin, signed out, other school staff.
const ROUTES: Record<
  Exclude<RouteId, 'GET /api/health' | 'POST /api/auth/sign-in' | 'POST /api/auth/activate'>,
  boolean[]
> = {
  'POST /api/auth/sign-out': [Y, Y, Y, Y, Y, N, Y],
  'GET /api/auth/me': [Y, Y, Y, Y, Y, N, Y],
  'GET /api/auth/sessions': [Y, Y, Y, Y, Y, N, Y],
  'POST /api/auth/sessions/end-all': [Y, Y, Y, Y, Y, N, Y],
  'POST /api/auth/totp/setup': [Y, Y, Y, Y, Y, N, Y],
  'POST /api/auth/totp/enable': [Y, Y, Y, Y, Y, N, Y],
  // Each person sees only their own school's summary: the route takes no school from the request.
  'GET /api/school/summary': [Y, Y, Y, Y, Y, N, Y],
  'GET /api/school/settings': [N, N, N, N, Y, N, N],
  'POST /api/school/settings': [N, N, N, N, Y, N, N],
  'GET /api/people': [N, N, N, N, Y, N, N],
  'POST /api/people/staff': [N, N, N, N, Y, N, N],
  'POST /api/people/staff/:id/roles': [N, N, N, N, Y, N, N],
  'POST /api/people/staff/:id/end-sessions': [N, N, N, N, Y, N, N],
  'POST /api/people/parent-codes': [N, N, N, N, Y, N, N],
  'GET /api/mis/status': [N, N, N, N, Y, N, N],
  'GET /api/mis/runs': [N, N, N, N, Y, N, N],
  'GET /api/mis/held': [N, N, N, N, Y, N, N],
  'POST /api/mis/held/:id/accept': [N, N, N, N, Y, N, N],
  'POST /api/mis/held/:id/discard': [N, N, N, N, Y, N, N],
  'POST /api/mis/ingest-key': [N, N, N, N, Y, N, N],
  'GET /api/mis/xod': [N, N, N, N, Y, N, N],
  'POST /api/mis/xod': [N, N, N, N, Y, N, N],
  // The whole-file check reads every page: admins only (and the command line).
  'GET /api/health/deep': [N, N, N, N, Y, N, N],
  'GET /api/year-end/leavers': [N, N, Y, Y, Y, N, Y],
  'GET /api/year-end/tonight': [N, N, Y, Y, Y, N, Y],
  // Everyone lists their own documents; the list comes from the policy below.
  'GET /api/sync/docs': [Y, Y, Y, Y, Y, N, Y],
  'GET /api/messages/:id/recipients': [N, N, Y, N, Y, N, Y],
  'GET /api/push/key': [Y, Y, Y, Y, Y, N, Y],
  'POST /api/push/subscriptions': [Y, Y, N, N, N, N, N],
  'POST /api/push/subscriptions/remove': [Y, Y, N, N, N, N, N],
  'GET /api/notifications/status': [N, N, N, N, Y, N, N],
  // Anyone signed in may exchange frames; each frame is judged by its document's policy.
  'POST /api/sync': [Y, Y, Y, Y, Y, N, Y],
};

// Documents of school 1: parent A's inbox and wallet, the staff member's outbox.
const READ: Record<string, boolean[]> = {
  directory: [N, N, Y, Y, Y, N, N],
  sent: [N, N, Y, N, Y, N, N],
  payments: [N, N, N, Y, N, N, N],
  'parent-inbox': [Y, N, N, N, N, N, N],
  'parent-wallet': [Y, N, N, N, N, N, N],
  outbox: [N, N, Y, N, N, N, N],
};
const WRITE: Record<string, boolean[]> = {
  directory: [N, N, N, N, N, N, N],
  sent: [N, N, N, N, N, N, N],
  payments: [N, N, N, N, N, N, N],
  'parent-inbox': [N, N, N, N, N, N, N],
  'parent-wallet': [N, N, N, N, N, N, N],
  outbox: [N, N, Y, N, N, N, N],
};

let fixture: AuthFixture;
const cookies = new Map<Who, string | undefined>();
const principals = new Map<Who, Principal | null>();
const accounts = new Map<Who, UserRow>();

beforeAll(async () => {
  fixture = authFixture();
  const [contactA, contactB] = fixture.db
    .prepare("SELECT mis_id FROM mis_records WHERE kind = 'contact' LIMIT 2")
    .all() as { mis_id: string }[];
  const other = createSchool(fixture.db, { name: 'Elsewhere Academy', estab: '8019999' }, fixture.now);
  accounts.set('parent A', await fixture.addUser('parent', ['parent'], { misId: contactA?.mis_id ?? 'A' }));
  accounts.set('parent B', await fixture.addUser('parent', ['parent'], { misId: contactB?.mis_id ?? 'B' }));
  accounts.set('staff', await fixture.addUser('staff', ['staff']));
  accounts.set('payments admin', await fixture.addUser('staff', ['payments-admin']));
  accounts.set('school admin', await fixture.addUser('staff', ['school-admin']));
  const otherStaff = await fixture.addUser('staff', ['staff']);
  fixture.db.prepare('UPDATE users SET school_id = ? WHERE id = ?').run(other.id, otherStaff.id);
  accounts.set('other school staff', { ...otherStaff, schoolId: other.id });
  fixture.db.prepare('UPDATE schools SET require_admin_mfa = 0').run();
  for (const who of WHO) {
    const user = accounts.get(who);
    cookies.set(who, user ? cookieFrom(await fixture.signIn(user.email)) : undefined);
    const access = user ? accessFor(fixture.db, user, fixture.now, DEFAULT_IDENTITY) : null;
    principals.set(who, access?.ok ? access.principal : null);
  }
});
afterAll(() => {
  fixture.cleanup();
});

const denials = (): number =>
  (fixture.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'denied'").get() as { n: number })
    .n;

describe('who may use each route', () => {
  for (const [route, row] of Object.entries(ROUTES)) {
    it(route, async () => {
      const [method, path = ''] = route.split(' ');
      // Sign-out and ending sessions come last for each person, so they cannot spoil other cells.
      for (const [index, who] of WHO.entries()) {
        const cookie = cookies.get(who);
        const before = denials();
        const url = path === '/api/year-end/leavers' ? `${path}?date=2026-11-10` : path;
        const response =
          method === 'GET'
            ? await fixture.get(url, cookie)
            : await fixture.post(url, { code: '123456' }, cookie);
        const answer = (await response.json()) as { error?: string } | null;
        const isDenied = ['sign-in-required', 'forbidden', 'read-only'].includes(answer?.error ?? '');
        expect({ who, allowed: !isDenied }).toEqual({ who, allowed: row[index] });
        // Allowed means served: a crash behind the guard is no pass.
        expect(response.status).toBeLessThan(500);
        // Signed-in people refused are audited; anonymous refusals are only counted.
        expect(denials() - before).toBe(isDenied && who !== 'signed out' ? 1 : 0);
        if (route.endsWith('sign-out') || route.endsWith('end-all'))
          cookies.set(
            who,
            cookie && accounts.get(who)
              ? cookieFrom(await fixture.signIn(accounts.get(who)?.email ?? ''))
              : cookie,
          );
      }
    });
  }
});

describe('who may read and write each document kind', () => {
  for (const kind of DOC_KINDS) {
    it(kind, () => {
      const parentA = accounts.get('parent A');
      const staff = accounts.get('staff');
      const owner =
        kind === 'outbox' ? String(staff?.id) : kind.startsWith('parent') ? (parentA?.misId ?? null) : null;
      const academicYear = kind === 'parent-inbox' ? 2026 : null;
      const doc: DocRef = { kind, schoolId: fixture.school.id, owner, academicYear };
      for (const [index, who] of WHO.entries()) {
        const principal = principals.get(who) ?? null;
        expect({ who, read: canReadDoc(principal, doc), write: canWriteDoc(principal, doc) }).toEqual({
          who,
          read: READ[kind]?.[index],
          write: WRITE[kind]?.[index],
        });
      }
    });
  }
});

it('has a policy for every route the app registers, and registers every route the policy names', () => {
  // The push routes take the school's ingest key, not a person's session: they are not in the table.
  const keyRoutes = new Set(['POST /api/mis/xporter', 'POST /api/mis/oneroster']);
  const registered = new Set(
    fixture.app.routes
      .filter((route) => route.method !== 'ALL' && route.path.startsWith('/api/'))
      .map((route) => `${route.method} ${route.path}`)
      .filter((route) => !keyRoutes.has(route)),
  );
  expect(registered).toEqual(new Set(Object.keys(ROUTE_POLICY)));
});

it('covers every route the policy names', () => {
  const covered = new Set([
    ...Object.keys(ROUTES),
    'GET /api/health',
    'POST /api/auth/sign-in',
    'POST /api/auth/activate',
  ]);
  expect(new Set(Object.keys(ROUTE_POLICY))).toEqual(covered);
});
