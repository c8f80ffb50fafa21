import { formatDate } from '../dates.ts';
import type { Stamp } from '../wallet/types.ts';
import { stampDate } from '../wallet/wallet.ts';

/** Who did something and when, as a verdict's sentence says it: "by Ann Patel on 23 Jul 2027". */
export function stampWords(stamp: Stamp): string {
  return `by ${stamp.actorName} on ${formatDate(stampDate(stamp))}`;
}
