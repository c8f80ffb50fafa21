import type { Principal, Role } from './roles.ts';

/*
 * Who may read or write what: one table for the server, which enforces it on every request (and,
 * once sync exists, every frame), and for the PWA, which uses it only to hide what a role cannot do.
 */

export const STAFF_ROLES: readonly Role[] = ['staff', 'payments-admin', 'school-admin'];

export const DOC_KINDS = [
  'directory',
  'sent',
  'payments',
  'parent-inbox',
  'parent-wallet',
  'outbox',
] as const;
export type DocKind = (typeof DOC_KINDS)[number];

export interface DocRef {
  readonly kind: DocKind;
  readonly schoolId: number;
  /** A parent's contact id for their inbox and wallet view; a user id for an outbox. */
  readonly owner: string | null;
  /** The September an inbox's academic year began (an inbox holds one year, to bound its size). */
  readonly academicYear: number | null;
}

const hasAny = (principal: Principal, roles: readonly Role[]): boolean =>
  principal.roles.some((role) => roles.includes(role));

export function canReadDoc(principal: Principal | null, doc: DocRef): boolean {
  if (!principal || principal.schoolId !== doc.schoolId) return false;
  switch (doc.kind) {
    case 'directory':
      return hasAny(principal, STAFF_ROLES);
    case 'sent':
      return hasAny(principal, ['staff', 'school-admin']);
    case 'payments':
      return hasAny(principal, ['payments-admin']);
    case 'parent-inbox':
    case 'parent-wallet':
      return (
        hasAny(principal, ['parent']) && principal.contactId !== null && principal.contactId === doc.owner
      );
    case 'outbox':
      return String(principal.userId) === doc.owner;
  }
}

/**
 * Read models are written by the server alone; a person appends only to their own outbox. A
 * read-only account appends too: the reducer answers each of its intents with a `read-only`
 * rejection, so a change made offline gets a verdict rather than waiting for one forever.
 */
export function canWriteDoc(principal: Principal | null, doc: DocRef): boolean {
  return doc.kind === 'outbox' && canReadDoc(principal, doc);
}

type RouteRule =
  | { readonly access: 'public' }
  | { readonly access: 'signed-in'; readonly changes: boolean }
  | { readonly access: 'roles'; readonly roles: readonly Role[]; readonly changes: boolean };

const signedIn = (changes: boolean): RouteRule => ({ access: 'signed-in', changes });
const roles = (allowed: readonly Role[], changes = false): RouteRule => ({
  access: 'roles',
  roles: allowed,
  changes,
});

/** Every route a browser may call. Ingest routes use the school's ingest key instead. */
export const ROUTE_POLICY = {
  'GET /api/health': { access: 'public' },
  'GET /api/health/deep': roles(['school-admin']),
  'POST /api/auth/sign-in': { access: 'public' },
  'POST /api/auth/activate': { access: 'public' },
  'POST /api/auth/sign-out': signedIn(false),
  'GET /api/auth/me': signedIn(false),
  'GET /api/auth/sessions': signedIn(false),
  // Ending one's own sessions is a safety action: allowed even when read-only.
  'POST /api/auth/sessions/end-all': signedIn(false),
  'POST /api/auth/totp/setup': signedIn(true),
  'POST /api/auth/totp/enable': signedIn(true),
  'GET /api/school/summary': signedIn(false),
  'GET /api/school/settings': roles(['school-admin']),
  // People: staff accounts and roles, and parents' activation letters.
  'GET /api/people': roles(['school-admin']),
  'POST /api/people/staff': roles(['school-admin'], true),
  'POST /api/people/staff/:id/roles': roles(['school-admin'], true),
  'POST /api/people/staff/:id/end-sessions': roles(['school-admin'], true),
  'POST /api/people/parent-codes': roles(['school-admin'], true),
  'POST /api/school/settings': roles(['school-admin'], true),
  'GET /api/mis/status': roles(['school-admin']),
  // The MIS sync screen: the timeline, held snapshots, the ingest key and the XoD pull.
  'GET /api/mis/runs': roles(['school-admin']),
  'GET /api/mis/held': roles(['school-admin']),
  'POST /api/mis/held/:id/accept': roles(['school-admin'], true),
  'POST /api/mis/held/:id/discard': roles(['school-admin'], true),
  'POST /api/mis/ingest-key': roles(['school-admin'], true),
  'GET /api/mis/xod': roles(['school-admin']),
  'POST /api/mis/xod': roles(['school-admin'], true),
  'GET /api/year-end/leavers': roles(STAFF_ROLES),
  'GET /api/year-end/tonight': roles(STAFF_ROLES),
  'GET /api/sync/docs': signedIn(false),
  // Who a message went to and when each read it: for the staff who see Sent.
  'GET /api/messages/:id/recipients': roles(['staff', 'school-admin']),
  // Push: parents' phones subscribe, and unsubscribe at sign-out; anyone may read the public key.
  'GET /api/push/key': signedIn(false),
  'POST /api/push/subscriptions': roles(['parent']),
  'POST /api/push/subscriptions/remove': roles(['parent']),
  // Whether parents are being reached: emails failing, notices waiting.
  'GET /api/notifications/status': roles(['school-admin']),
  // The documents' own policy decides each frame; a read-only parent may still download.
  'POST /api/sync': signedIn(false),
} as const satisfies Record<string, RouteRule>;

export type RouteId = keyof typeof ROUTE_POLICY;

export type RouteDecision = 'allowed' | 'sign-in-required' | 'forbidden' | 'read-only';

export function decideRoute(principal: Principal | null, route: RouteId): RouteDecision {
  const rule: RouteRule = ROUTE_POLICY[route];
  if (rule.access === 'public') return 'allowed';
  if (!principal) return 'sign-in-required';
  if (rule.access === 'roles' && !hasAny(principal, rule.roles)) return 'forbidden';
  if (rule.changes && principal.isReadOnly) return 'read-only';
  return 'allowed';
}

export function mayUseRoute(principal: Principal | null, route: RouteId): boolean {
  return decideRoute(principal, route) === 'allowed';
}
