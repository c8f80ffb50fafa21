import type { DocKind, DocRef } from '../auth/policy.ts';

/*
 * Document names are URL-safe ([A-Za-z0-9._-]) and say whose data a document holds, so the hub can
 * authorise a frame from its name alone:
 *
 *   s1.directory   s1.sent   s1.payments          the school's staff documents
 *   s1.inbox.C42.2026                             a parent's inbox for one academic year
 *   s1.wallet.C42                                 a parent's wallet view
 *   s1.outbox.17                                  one person's outbox (user id 17)
 *
 * MIS contact ids are the MIS's own; one that is not already plain letters, digits, `-` and `_`
 * (or that starts with `_`) is written `_` + four hex digits per UTF-16 unit, so every id has
 * exactly one name.
 */

const PLAIN_ID = /^[A-Za-z0-9-][A-Za-z0-9_-]{0,63}$/;
const ENCODED_ID = /^_(?:[0-9a-f]{4})+$/;
const MAX_NAME_LENGTH = 300;

export function encodeNameId(id: string): string {
  if (PLAIN_ID.test(id)) return id;
  let hex = '_';
  for (let index = 0; index < id.length; index++) hex += id.charCodeAt(index).toString(16).padStart(4, '0');
  return hex;
}

export function decodeNameId(part: string): string | null {
  if (PLAIN_ID.test(part)) return part;
  if (!ENCODED_ID.test(part)) return null;
  let id = '';
  for (let index = 1; index < part.length; index += 4)
    id += String.fromCharCode(parseInt(part.slice(index, index + 4), 16));
  // An id that would have been written plainly has only one name: the plain one.
  return PLAIN_ID.test(id) || id === '' ? null : id;
}

export function docName(ref: DocRef): string {
  const school = `s${ref.schoolId}`;
  switch (ref.kind) {
    case 'directory':
    case 'sent':
    case 'payments':
      return `${school}.${ref.kind}`;
    case 'parent-inbox':
      return `${school}.inbox.${encodeNameId(ownerOf(ref))}.${ref.academicYear ?? 0}`;
    case 'parent-wallet':
      return `${school}.wallet.${encodeNameId(ownerOf(ref))}`;
    case 'outbox':
      return `${school}.outbox.${ownerOf(ref)}`;
  }
}

function ownerOf(ref: DocRef): string {
  if (ref.owner === null) throw new Error(`a ${ref.kind} document belongs to someone`);
  return ref.owner;
}

const SCHOOL = /^s([1-9][0-9]{0,8})$/;
const YEAR = /^(20[0-9]{2})$/;
const USER = /^([1-9][0-9]{0,12})$/;

/** The document a name stands for, or null for anything that is not exactly a name we make. */
export function parseDocName(name: string): DocRef | null {
  if (name.length > MAX_NAME_LENGTH || !/^[A-Za-z0-9._-]+$/.test(name)) return null;
  const [schoolPart = '', kind, ...rest] = name.split('.');
  const schoolMatch = SCHOOL.exec(schoolPart);
  if (!schoolMatch) return null;
  const schoolId = Number(schoolMatch[1]);
  const plain = (docKind: DocKind): DocRef | null =>
    rest.length === 0 ? { kind: docKind, schoolId, owner: null, academicYear: null } : null;
  switch (kind) {
    case 'directory':
    case 'sent':
    case 'payments':
      return plain(kind);
    case 'inbox': {
      const [owner = '', year = ''] = rest;
      const contactId = decodeNameId(owner);
      if (rest.length !== 2 || contactId === null || !YEAR.test(year)) return null;
      return { kind: 'parent-inbox', schoolId, owner: contactId, academicYear: Number(year) };
    }
    case 'wallet': {
      const contactId = rest.length === 1 ? decodeNameId(rest[0] ?? '') : null;
      return contactId === null
        ? null
        : { kind: 'parent-wallet', schoolId, owner: contactId, academicYear: null };
    }
    case 'outbox': {
      const [user = ''] = rest;
      return rest.length === 1 && USER.test(user)
        ? { kind: 'outbox', schoolId, owner: user, academicYear: null }
        : null;
    }
    default:
      return null;
  }
}
