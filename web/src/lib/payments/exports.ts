import { formatPence, londonDate, type IsoDate, type PaymentsWallet } from '@schoolping/shared';

/** A CSV cell: quoted when it holds a comma, quote or line break, and never read as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function csv(rows: readonly (readonly string[])[]): string {
  return rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

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

/** Hands a CSV to the browser as a download. */
export function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 0);
}
