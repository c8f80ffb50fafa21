import { addDays, type IsoDate } from '../dates.ts';
import { pence } from '../money.ts';
import type { LedgerEntry } from '../wallet/types.ts';
import { dateIn } from './layout.ts';
import type { SeededRandom } from './random.ts';

const CHARGES = [
  { description: 'School dinners (week)', amount: 1200 },
  { description: 'Breakfast club', amount: 350 },
  { description: 'Museum trip', amount: 850 },
  { description: 'Swimming lessons', amount: 1500 },
  { description: 'Book fair', amount: 499 },
] as const;

/** A term's top-ups and charges: most wallets hold a little money, a few are empty or overdrawn. */
export function demoLedger(
  random: SeededRandom,
  walletIds: readonly string[],
  academicYear: number,
): Record<string, LedgerEntry[]> {
  const ledger: Record<string, LedgerEntry[]> = {};
  const termStart = dateIn(academicYear, 9, 2);
  for (const walletId of walletIds) {
    const entries: LedgerEntry[] = [];
    const add = (day: IsoDate, kind: LedgerEntry['kind'], amount: number, description: string): void => {
      const minute = String(entries.length * 7).padStart(2, '0');
      entries.push({
        id: `${walletId}-${entries.length + 1}`,
        walletId,
        kind,
        amount: pence(amount),
        at: `${day}T07:${minute}:00.000Z`,
        description,
        flag: null,
      });
    };
    const topUps = random.chance(0.15) ? 0 : random.int(1, 4);
    for (let index = 0; index < topUps; index++) {
      const day = addDays(termStart, index * 14 + random.int(0, 6));
      add(day, 'top-up', random.int(2, 16) * 250, 'Online top-up');
      if (random.chance(0.7)) {
        const charge = random.pick(CHARGES);
        add(addDays(day, random.int(1, 5)), 'charge', -charge.amount, charge.description);
      }
    }
    if (random.chance(0.03))
      add(addDays(termStart, 60), 'charge', -random.int(1, 8) * 240, 'School dinners (unpaid)');
    ledger[walletId] = entries;
  }
  return ledger;
}
