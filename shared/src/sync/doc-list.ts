import { z } from 'zod/mini';
import { canReadDoc, canWriteDoc, DOC_KINDS, type DocKind, type DocRef } from '../auth/policy.ts';
import type { Principal } from '../auth/roles.ts';
import { docName } from './doc-names.ts';

export interface DocListing {
  readonly name: string;
  readonly kind: DocKind;
  readonly canWrite: boolean;
}

/** GET /api/sync/docs's entries, as the PWA checks them before trusting them. */
export const docListingSchema = z.object({
  name: z.string().check(z.regex(/^[A-Za-z0-9._-]{1,300}$/)),
  kind: z.enum(DOC_KINDS),
  canWrite: z.boolean(),
});
export const docListingsSchema = z.array(docListingSchema);

export interface ParentDocFacts {
  /** Academic years (their Septembers) whose inbox to offer: this one and any with messages. */
  readonly inboxYears: readonly number[];
  readonly hasWallet: boolean;
}

/** The documents a person may open: what `GET /api/sync/docs` answers, from the policy table. */
export function docsFor(principal: Principal, parent: ParentDocFacts): DocListing[] {
  const { schoolId } = principal;
  const refs: DocRef[] = [
    { kind: 'directory', schoolId, owner: null, academicYear: null },
    { kind: 'sent', schoolId, owner: null, academicYear: null },
    { kind: 'payments', schoolId, owner: null, academicYear: null },
    { kind: 'outbox', schoolId, owner: String(principal.userId), academicYear: null },
  ];
  if (principal.contactId !== null) {
    const owner = principal.contactId;
    for (const year of parent.inboxYears)
      refs.push({ kind: 'parent-inbox', schoolId, owner, academicYear: year });
    if (parent.hasWallet) refs.push({ kind: 'parent-wallet', schoolId, owner, academicYear: null });
  }
  return refs
    .filter((ref) => canReadDoc(principal, ref))
    .map((ref) => ({ name: docName(ref), kind: ref.kind, canWrite: canWriteDoc(principal, ref) }));
}
