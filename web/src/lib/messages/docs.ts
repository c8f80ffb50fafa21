import type { DocKind, DocListing } from '@schoolping/shared';
import type { Doc } from 'yjs';

/** What a screen needs of the sync client: the documents it was listed, and each one's Y.Doc. */
export interface DocSource {
  readonly listings: readonly DocListing[];
  doc(name: string): Doc | undefined;
}

export function docsOfKind(source: DocSource, kind: DocKind): Doc[] {
  return source.listings
    .filter((listing) => listing.kind === kind)
    .map((listing) => source.doc(listing.name))
    .filter((doc): doc is Doc => doc !== undefined);
}

export function docOfKind(source: DocSource, kind: DocKind): Doc | undefined {
  return docsOfKind(source, kind)[0];
}

/** A root map's entries as a plain Map (documents hold plain JSON values). */
export function entriesOf<T>(doc: Doc | undefined, map: string): Map<string, T> {
  return doc ? new Map<string, T>(doc.getMap<T>(map).entries()) : new Map<string, T>();
}
