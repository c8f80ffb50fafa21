import type { MisContact, MisGroup, MisLink, MisMembership, MisPupil, MisStaff } from '@schoolping/shared';

/** One problem found in a feed, with where it is: a JSON pointer, or `file:row:column` for CSV. */
export interface IngestIssue {
  readonly where: string;
  readonly code: string;
  readonly message: string;
}

export const RECORD_KINDS = ['pupil', 'contact', 'link', 'group', 'membership', 'staff'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/**
 * A membership from a feed. XoD and OneRoster bulk files may give no dates: the server then dates
 * the membership from when it first saw it, so a class move shows at the next 02:00 run.
 */
export interface FeedMembership extends Omit<MisMembership, 'startDate'> {
  readonly startDate: MisMembership['startDate'] | null;
}

export interface RosterRecords {
  readonly pupils: readonly MisPupil[];
  readonly contacts: readonly MisContact[];
  readonly links: readonly MisLink[];
  readonly groups: readonly MisGroup[];
  readonly memberships: readonly FeedMembership[];
  readonly staff: readonly MisStaff[];
}

/** Keys of records no longer in the feed's result set ("not in this result", never "deleted"). */
export type RemovedKeys = Readonly<Record<RecordKind, readonly string[]>>;

/**
 * What a parser makes of one feed, in the project's own terms. `full` replaces the school's roster
 * (what is absent has gone); `delta` changes only what it names.
 */
export interface RosterBatch {
  readonly source: 'xporter' | 'oneroster';
  readonly mode: 'full' | 'delta';
  /** DfE establishment number the feed says it is for, when it says. */
  readonly estab: string | null;
  readonly schoolName: string | null;
  readonly records: RosterRecords;
  readonly removed: RemovedKeys;
  readonly warnings: readonly IngestIssue[];
}

export type ParseResult =
  | { readonly ok: true; readonly batch: RosterBatch }
  | { readonly ok: false; readonly errors: readonly IngestIssue[] };

/** Record keys: the MIS's own id, or the ids a link or membership joins. */
export const recordKey = {
  link: (link: Pick<MisLink, 'pupilId' | 'contactId'>): string => `${link.pupilId}:${link.contactId}`,
  membership: (membership: Pick<MisMembership, 'groupId' | 'pupilId'>): string =>
    `${membership.groupId}:${membership.pupilId}`,
};
