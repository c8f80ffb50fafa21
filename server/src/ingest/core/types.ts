import type { MisContact, MisGroup, MisLink, MisMembership, MisPupil, MisStaff } from '@schoolping/shared';
import type { RecordKind } from '../../db/mis-records.ts';

export { RECORD_KINDS, recordKey, type RecordKind } from '../../db/mis-records.ts';

/** One problem found in a feed, with where it is: a JSON pointer, or `file:row:column` for CSV. */
export interface IngestIssue {
  readonly where: string;
  readonly code: string;
  readonly message: string;
}

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
/**
 * Which parts of the roster a full snapshot really carries. A dataset the feed left out (a token
 * without that scope, say) means "unknown", never "empty": its records are kept as they are.
 */
export interface Completeness {
  readonly pupil: boolean;
  readonly contact: boolean;
  readonly link: boolean;
  readonly group: boolean;
  readonly staff: boolean;
  /** Year and registration-class memberships, named on each pupil's record. */
  readonly yearAndClass: boolean;
  /** Memberships of other groups, which come as their own list. */
  readonly otherGroups: boolean;
}

export const COMPLETE: Completeness = {
  pupil: true,
  contact: true,
  link: true,
  group: true,
  staff: true,
  yearAndClass: true,
  otherGroups: true,
};

export interface RosterBatch {
  readonly source: 'xporter' | 'oneroster';
  readonly mode: 'full' | 'delta';
  /** DfE establishment number the feed says it is for, when it says. */
  readonly estab: string | null;
  readonly schoolName: string | null;
  readonly records: RosterRecords;
  readonly removed: RemovedKeys;
  /** For a full snapshot: what it carries whole. Ignored for a delta. */
  readonly complete: Completeness;
  readonly warnings: readonly IngestIssue[];
}

export type ParseResult =
  | { readonly ok: true; readonly batch: RosterBatch }
  | { readonly ok: false; readonly errors: readonly IngestIssue[] };
