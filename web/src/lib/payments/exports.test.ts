import { describe, expect, it } from 'vitest';
import type { IsoDate, PaymentsWallet, Pence } from '@schoolping/shared';
import { balancesCsv, settlementsCsv } from './exports';

const wallet = (over: Partial<PaymentsWallet>): PaymentsWallet => ({
  id: 'W1',
  contactId: 'C1',
  ownerName: 'Karen Daley',
  children: [
    {
      pupilId: 'P1',
      name: 'Poppy Daley',
      className: '6 Ash',
      status: 'leaver',
      leavingDate: '2027-07-23' as IsoDate,
    },
  ],
  status: 'settled',
  balance: 0 as Pence,
  closedAt: '2027-07-24T09:00:00Z',
  closedBy: 'A. Patel',
  settledAt: '2027-07-25T10:00:00Z',
  settledBy: 'B. Jones',
  refundDate: '2027-07-25' as IsoDate,
  refunded: 1250 as Pence,
  ...over,
});

describe('finance exports', () => {
  it('lists the settlements refunded in the range, with who did what', () => {
    const text = settlementsCsv(
      [wallet({}), wallet({ id: 'W2', ownerName: 'Out Of Range', refundDate: '2027-08-02' as IsoDate })],
      '2027-07-01' as IsoDate,
      '2027-07-31' as IsoDate,
    );
    expect(text.split('\r\n')).toEqual([
      'parent,children,amount refunded,refund date,closed on,closed by,settled on,settled by',
      'Karen Daley,Poppy Daley (6 Ash),£12.50,2027-07-25,2027-07-24,A. Patel,2027-07-25,B. Jones',
      '',
    ]);
  });

  it('quotes commas and never lets a cell start a formula in a spreadsheet', () => {
    const text = balancesCsv([
      wallet({ ownerName: '=HYPERLINK("x"),Bad', status: 'open', balance: -250 as Pence }),
    ]);
    expect(text).toContain(`"'=HYPERLINK(""x""),Bad"`);
    expect(text).toContain(`'-£2.50`);
  });
});
