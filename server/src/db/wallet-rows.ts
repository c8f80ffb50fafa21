import type { Wallet } from '@schoolping/shared';

/** A `wallets` row as SQLite returns it; the stamps are JSON. */
export interface WalletRow {
  readonly id: string;
  readonly contact_id: string;
  readonly status: Wallet['status'];
  readonly closed: string | null;
  readonly settled: string | null;
}

export function walletFromRow(row: WalletRow): Wallet {
  return {
    id: row.id,
    contactId: row.contact_id,
    status: row.status,
    closed: row.closed === null ? null : (JSON.parse(row.closed) as Wallet['closed']),
    settled: row.settled === null ? null : (JSON.parse(row.settled) as Wallet['settled']),
  };
}
