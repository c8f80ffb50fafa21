import type { IsoDate } from '@schoolping/shared';
import type { Issues } from './issues.ts';

export type OneRosterVersion = '1.1' | '1.2';
/** The manifest's words: `bulk` replaces everything, `delta` changes only the rows it carries. */
export type FileMode = 'bulk' | 'delta';

/** What every reader needs to know about the bundle it is reading. */
export interface Context {
  readonly issues: Issues;
  readonly version: OneRosterVersion;
  readonly mode: FileMode;
  readonly today: IsoDate;
  /** The school's first import: a pupil with no start date is on roll at once (see OneRosterOptions). */
  readonly firstImport: boolean;
}
