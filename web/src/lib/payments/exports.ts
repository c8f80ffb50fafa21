import { formatPence, londonDate, type IsoDate, type PaymentsWallet } from '@schoolping/shared';
import { csv } from '../csv';

const children = (wallet: PaymentsWallet): string =>
  wallet.children
    .map((child) => (child.className ? `${child.name} (${child.className})` : child.name))
    .join('; ');
const day = (at: string | null): string => (at ? londonDate(new Date(at)) : '');

/** Settlements with a refund date in [from, to], for the finance office. */
export function settlementsCsv(wallets: readonly PaymentsWallet[], from: IsoDate, to: IsoDate): string {
  const settled = wallets
    .filter((wallet) => wallet.refundDate !== null && wallet.refundDate >= from && wallet.refundDate <= to)
    .sort((a, b) => (a.refundDate ?? '').localeCompare(b.refundDate ?? ''));
  return csv([
    [
      'parent',
      'children',
      'amount refunded',
      'refund date',
      'closed on',
      'closed by',
      'settled on',
      'settled by',
    ],
    ...settled.map((wallet) => [
      wallet.ownerName,
      children(wallet),
      formatPence(wallet.refunded ?? (0 as never)),
      wallet.refundDate ?? '',
      day(wallet.closedAt),
      wallet.closedBy ?? '',
      day(wallet.settledAt),
      wallet.settledBy ?? '',
    ]),
  ]);
}

/** Every wallet's balance and status. */
export function balancesCsv(wallets: readonly PaymentsWallet[]): string {
  return csv([
    ['parent', 'children', 'balance', 'status', 'closed on', 'settled on'],
    ...wallets.map((wallet) => [
      wallet.ownerName,
      children(wallet),
      formatPence(wallet.balance),
      wallet.status,
      day(wallet.closedAt),
      day(wallet.settledAt),
    ]),
  ]);
}
