import type { z } from 'zod';
import type { IngestIssue } from '../core/types.ts';

/** RFC 6901: `~` and `/` inside a key are escaped. */
export function pointer(...parts: readonly (string | number)[]): string {
  return parts.map((part) => `/${String(part).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

export function zodIssues(base: readonly (string | number)[], error: z.ZodError): IngestIssue[] {
  return error.issues.map((issue) => ({
    where: pointer(...base, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))),
    code: issue.code === 'invalid_type' && issue.input === undefined ? 'missing-field' : 'invalid-value',
    message:
      issue.input === undefined && issue.code === 'invalid_type'
        ? 'This field is required.'
        : capitalise(issue.message),
  }));
}

function capitalise(message: string): string {
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

/** Collects issues up to a limit, so a hostile payload cannot make the answer itself huge. */
export class IssueList {
  readonly items: IngestIssue[] = [];
  #dropped = 0;

  constructor(private readonly limit: number) {}

  add(...issues: readonly IngestIssue[]): void {
    for (const issue of issues) {
      if (this.items.length < this.limit) this.items.push(issue);
      else this.#dropped++;
    }
  }

  get size(): number {
    return this.items.length + this.#dropped;
  }

  /** The list as reported, with one closing line saying how many more there were. */
  report(): IngestIssue[] {
    if (this.#dropped === 0) return this.items;
    return [
      ...this.items,
      { where: '', code: 'more-issues', message: `…and ${this.#dropped} more of the same kind.` },
    ];
  }
}
