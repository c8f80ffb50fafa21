import type { IngestIssue } from '../core/types.ts';

const MAX_ERRORS = 500;
/** Distinct warnings kept per code: the first few examples of each kind. */
const EXAMPLES_PER_CODE = 20;
/** Distinct warnings kept in all; a feed of 100,000 odd rows still answers in a few kilobytes. */
const MAX_WARNINGS = 200;

/**
 * Errors and warnings for one bundle. Errors are kept one by one, so an admin can fix each cell.
 * A tolerable quirk usually repeats on every row (`TRUE` for `true`), so warnings with a `group`
 * are folded into one issue that names the first cell and counts the rest.
 */
export class Issues {
  readonly errors: IngestIssue[] = [];
  #droppedErrors = 0;
  readonly #warnings: Warning[] = [];
  readonly #groups = new Map<string, Warning>();
  /** Per code: how many distinct warnings were kept, and how many more were only counted. */
  readonly #perCode = new Map<string, { kept: number; dropped: number }>();

  error(where: string, code: string, message: string): void {
    if (this.errors.length < MAX_ERRORS) this.errors.push({ where, code, message });
    else this.#droppedErrors++;
  }

  /** Warnings with the same code and `group` (say, a file and column) become one issue. */
  warn(where: string, code: string, message: string, group?: string): void {
    const key = group === undefined ? null : `${code}\u0000${group}`;
    const seen = key === null ? undefined : this.#groups.get(key);
    if (seen) {
      seen.more++;
      return;
    }
    const tally = this.#perCode.get(code) ?? { kept: 0, dropped: 0 };
    this.#perCode.set(code, tally);
    if (tally.kept >= EXAMPLES_PER_CODE || this.#warnings.length >= MAX_WARNINGS) {
      tally.dropped++;
      return;
    }
    tally.kept++;
    const warning: Warning = { issue: { where, code, message }, more: 0 };
    if (key !== null) this.#groups.set(key, warning);
    this.#warnings.push(warning);
  }

  get failed(): boolean {
    return this.errors.length > 0;
  }

  errorReport(): IngestIssue[] {
    if (this.#droppedErrors === 0) return this.errors;
    return [
      ...this.errors,
      { where: '', code: 'more-issues', message: `…and ${this.#droppedErrors} more errors.` },
    ];
  }

  /** The kept warnings, then one line per kind that had more than could be shown, with its count. */
  warningReport(): IngestIssue[] {
    const kept = this.#warnings.map(({ issue, more }) =>
      more === 0
        ? issue
        : {
            ...issue,
            message: `${issue.message} The same applies to ${more} more ${more === 1 ? 'row' : 'rows'}.`,
          },
    );
    const folded: IngestIssue[] = [];
    for (const [code, { dropped }] of this.#perCode) {
      if (dropped === 0) continue;
      folded.push({
        where: '',
        code,
        message: `…and ${dropped} more ${dropped === 1 ? 'warning' : 'warnings'} of this kind (${code}).`,
      });
    }
    return [...kept, ...folded];
  }
}

interface Warning {
  readonly issue: IngestIssue;
  more: number;
}
