import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { encodeWalletEntry, type IsoDate, type PaymentsWallet, type Pence } from '@schoolping/shared';
import { walletRows } from './wallet-rows';

const leaver = {
  pupilId: 'P1',
  name: 'Poppy Daley',
  className: '6 Ash',
  status: 'leaver' as const,
  leavingDate: '2027-07-23' as IsoDate,
};

const wallet = (id: string, ownerName: string, over: Partial<PaymentsWallet>): PaymentsWallet => ({
  id,
  contactId: `C-${id}`,
  ownerName,
  children: [leaver],
  status: 'open',
  balance: 1250 as Pence,
  closedAt: null,
  closedBy: null,
  settledAt: null,
  settledBy: null,
  refundDate: null,
  refunded: null,
  ...over,
});

function paymentsDoc(...wallets: PaymentsWallet[]): Y.Doc {
  const doc = new Y.Doc();
  for (const each of wallets) doc.getMap('wallets').set(each.id, encodeWalletEntry(each));
  return doc;
}

describe('why a wallet’s tick is disabled', () => {
  it('names the staying child first, then a debt; a leaver’s wallet in credit may close', () => {
    const rows = walletRows(
      paymentsDoc(
        wallet('W1', 'Karen Daley', {}),
        wallet('W2', 'Mark Daley', {
          balance: -300 as Pence,
          children: [
            leaver,
            {
              pupilId: 'P2',
              name: 'Alfie Daley',
              className: '2 Hazel',
              status: 'active',
              leavingDate: null,
            },
          ],
        }),
        wallet('W3', 'Tom Adeyemi', { balance: -750 as Pence }),
        wallet('W4', 'Leanne Adeyemi', { status: 'closed', closedAt: '2027-07-23T09:00:00Z' }),
      ),
      undefined,
    );
    const why = new Map(rows.map((row) => [row.ownerName, row.cannotClose]));
    expect(why.get('Karen Daley')).toBeNull();
    expect(why.get('Mark Daley')).toBe(
      "Alfie Daley (2 Hazel) is still at the school, so Mark Daley's wallet stays open.",
    );
    expect(why.get('Tom Adeyemi')).toBe(
      "Tom Adeyemi's wallet is overdrawn by £7.50: record the parent's payment as a top-up, then close it.",
    );
    expect(why.get('Leanne Adeyemi')).toBe('This wallet is already closed.');
  });
});
