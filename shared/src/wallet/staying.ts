import { formatPence, negatePence, type Pence } from '../money.ts';

/** A child who keeps a parent's wallet open, as a payments admin is told it. */
export interface StayingChild {
  readonly name: string;
  /** Their class, or null for a child who has not started yet. */
  readonly className: string | null;
}

function described(child: StayingChild): string {
  return child.className === null ? `${child.name} (starting soon)` : `${child.name} (${child.className})`;
}

/** Why a wallet cannot close: which children stay, and in which class. */
export function stayingSentence(ownerName: string, staying: readonly StayingChild[]): string {
  const names = staying.map(described);
  const who =
    names.length === 1 ? `${names[0]} is` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are`;
  return `${who} still at the school, so ${ownerName}'s wallet stays open.`;
}

/**
 * Why an overdrawn wallet cannot close, or null. A closed wallet's balance changes only by its
 * refund, so a debt must be paid (a top-up) while the wallet is open, or it could never settle.
 */
export function overdrawnSentence(ownerName: string, balance: Pence): string | null {
  if (balance >= 0) return null;
  return `${ownerName}'s wallet is overdrawn by ${formatPence(negatePence(balance))}: record the parent's payment as a top-up, then close it.`;
}
