/*
 * A verdict is the server's one answer to an intent. Rejections carry a reason a program can
 * switch on and a sentence a person understands, naming who did what and when.
 */

export const REJECT_REASONS = [
  'not-permitted',
  'read-only',
  'unknown-wallet',
  'unknown-contact',
  'child-staying',
  'already-closed',
  'not-closed',
  'already-settled',
  'overdrawn',
  'refund-date-in-future',
  'refund-date-before-close',
  'unknown-message',
  'already-deleted',
  'duplicate-message',
  'no-recipients',
  'not-a-recipient',
  'internal-error',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type Verdict =
  | { readonly intentId: string; readonly status: 'accepted'; readonly seq: number; readonly at: string }
  | {
      readonly intentId: string;
      readonly status: 'rejected';
      readonly reason: RejectReason;
      readonly sentence: string;
      readonly facts: Readonly<Record<string, string | number>>;
      readonly at: string;
    };

export class Rejection extends Error {
  constructor(
    readonly reason: RejectReason,
    readonly sentence: string,
    readonly facts: Readonly<Record<string, string | number>> = {},
  ) {
    super(sentence);
    this.name = 'Rejection';
  }
}
