import {
  decodeWalletEntry,
  overdrawnSentence,
  stayingSentence,
  type PaymentsWallet,
  type Verdict,
} from '@schoolping/shared';
import type { Doc } from 'yjs';
import { entriesOf } from '../messages/docs';
import { isPending, outboxEntries } from '../messages/outbox-view';

/** One row of Manage Wallets: the wallet as the server holds it, and what is waiting on this device. */
export interface WalletRow extends PaymentsWallet {
  /** A close or settle made here that the server has not yet decided. */
  readonly pending: 'closing' | 'settling' | null;
  /** Null when the wallet may be closed; otherwise why not, in words. */
  readonly cannotClose: string | null;
}

/** One collator for every sort: `localeCompare` with a locale builds a new one at each call. */
const BY_NAME = new Intl.Collator('en-GB');

const folded = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

function closeBlocker(wallet: PaymentsWallet): string | null {
  if (wallet.status !== 'open') return 'This wallet is already closed.';
  const staying = wallet.children.filter((child) => child.status === 'active');
  if (wallet.children.length === 0)
    return 'No child is linked to this wallet, so no leaver can be confirmed.';
  if (staying.length > 0) return stayingSentence(wallet.ownerName, staying);
  return overdrawnSentence(wallet.ownerName, wallet.balance);
}

/** Every wallet, by parent name, with this device's waiting changes shown. */
export function walletRows(payments: Doc | undefined, outbox: Doc | undefined): WalletRow[] {
  const closing = new Set(
    outboxEntries(outbox, 'wallet-close')
      .filter(isPending)
      .flatMap((entry) => entry.intent.payload.walletIds),
  );
  const settling = new Set(
    outboxEntries(outbox, 'wallet-settle')
      .filter(isPending)
      .map((entry) => entry.intent.payload.walletId),
  );
  return [...entriesOf<unknown>(payments, 'wallets').values()]
    .map(decodeWalletEntry)
    .filter((wallet): wallet is PaymentsWallet => wallet !== null)
    .map((wallet) => ({
      ...wallet,
      pending: settling.has(wallet.id)
        ? ('settling' as const)
        : closing.has(wallet.id)
          ? ('closing' as const)
          : null,
      cannotClose: closeBlocker(wallet),
    }))
    .sort((a, b) => BY_NAME.compare(a.ownerName, b.ownerName));
}

/** Parent and children's names, folded once per row on the first keystroke, not at every one. */
const searchKeys = new WeakMap<WalletRow, string>();
function searchKey(row: WalletRow): string {
  let key = searchKeys.get(row);
  if (key === undefined) {
    key = folded([row.ownerName, ...row.children.map((child) => child.name)].join(' '));
    searchKeys.set(row, key);
  }
  return key;
}

/** "Filter results": parent or child names containing every word typed, accents and case aside. */
export function filterWallets(rows: readonly WalletRow[], text: string): WalletRow[] {
  const words = folded(text).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => words.every((word) => searchKey(row).includes(word)));
}

/** The server's latest refusal of a close or settle made on this device, if any, by wallet. */
export function refusals(outbox: Doc | undefined): Map<string, string> {
  const found = new Map<string, string>();
  const note = (walletIds: readonly string[], verdict: Verdict | null): void => {
    if (verdict?.status !== 'rejected') return;
    for (const id of walletIds) found.set(id, verdict.sentence);
  };
  for (const entry of outboxEntries(outbox, 'wallet-close'))
    note(entry.intent.payload.walletIds, entry.verdict);
  for (const entry of outboxEntries(outbox, 'wallet-settle'))
    note([entry.intent.payload.walletId], entry.verdict);
  return found;
}
