import {
  demoSchool,
  resolveRecipients,
  rosterOn,
  SeededRandom,
  type Actor,
  type Intent,
  type IsoDate,
} from '@schoolping/shared';
import { apply, EMPTY_STATE } from '../../shared/test/memory-school.ts';
import type { Bench } from './measure.ts';

const INTENTS = 100_000;

/** 100,000 intents through the reducer, against a plain pass reading the same intents. */
export function reducerBench(): Bench {
  const school = demoSchool({ size: 'secondary' });
  const roster = rosterOn(school.mis, '2027-07-24' as IsoDate);
  const random = new SeededRandom(7);
  const staff: Actor = { id: 'staff-1', name: 'J. Smith', roles: ['staff'], contactId: null };
  const payments: Actor = { id: 'pay-1', name: 'A. Patel', roles: ['payments-admin'], contactId: null };
  const classIds = [...roster.groups.values()].filter((g) => g.kind === 'registration').map((g) => g.id);
  const leaverWallets = Object.values(school.book.wallets).filter(
    (wallet) => roster.contacts.get(wallet.contactId)?.status === 'leaver',
  );

  const work: { intent: Intent; actor: Actor }[] = [];
  const sent: { id: string; recipients: readonly string[] }[] = [];
  const createdAt = '2027-07-24T09:00:00.000Z';
  for (let index = 0; work.length < INTENTS; index++) {
    const roll = random.next();
    const id = `i-${index}`;
    if (roll < 0.02 || sent.length === 0) {
      const audience = { kind: 'groups' as const, groupIds: [random.pick(classIds)] };
      const messageId = `m-${index}`;
      const payload = {
        messageId,
        subject: `Notice ${index}`,
        body: 'Reminder: trip forms by Friday.',
        audience,
      };
      work.push({
        actor: staff,
        intent: { id, type: 'message-send', author: staff.id, device: 'd', createdAt, payload },
      });
      sent.push({
        id: messageId,
        recipients: resolveRecipients(roster, audience).recipients.map((r) => r.contactId),
      });
    } else if (roll < 0.025) {
      const payload = { messageIds: [random.pick(sent).id] };
      work.push({
        actor: staff,
        intent: { id, type: 'message-delete', author: staff.id, device: 'd', createdAt, payload },
      });
    } else if (roll < 0.03 && leaverWallets.length > 0) {
      const wallet = random.pick(leaverWallets);
      const isClose = random.chance(0.5);
      const intent: Intent = isClose
        ? {
            id,
            type: 'wallet-close',
            author: payments.id,
            device: 'd',
            createdAt,
            payload: { walletIds: [wallet.id] },
          }
        : {
            id,
            type: 'wallet-settle',
            author: payments.id,
            device: 'd',
            createdAt,
            payload: { walletId: wallet.id, refundDate: '2027-07-24' as IsoDate },
          };
      work.push({ actor: payments, intent });
    } else {
      const message = random.pick(sent);
      const contactId = message.recipients[random.int(0, message.recipients.length - 1)] ?? 'nobody';
      const parent: Actor = { id: `p-${contactId}`, name: 'Parent', roles: ['parent'], contactId };
      const payload = { messageId: message.id };
      work.push({
        actor: parent,
        intent: { id, type: 'message-read', author: parent.id, device: 'd', createdAt, payload },
      });
    }
  }

  const initial = { ...EMPTY_STATE, book: school.book };
  const now = new Date('2027-07-24T10:00:00.000Z');
  return {
    name: 'reducer, 100,000 intents',
    baselineName: 'a plain pass copying every intent',
    note: `Mix: ~2% message-send to a class, 0.5% message-delete, 0.5% wallet close/settle, the rest parents' message-read, on the 2,000-pupil school at year end. The baseline copies each intent and its payload once. Most of the reducer's time is copying the messages record for each read (state is immutable); see docs/decisions.md.`,
    runs: 5,
    subject: () => {
      let state = initial;
      let accepted = 0;
      for (const [seq, { intent, actor }] of work.entries()) {
        const result = apply(state, intent, { now, seq, roster, actor });
        state = result.state;
        if (result.verdict.status === 'accepted') accepted++;
      }
      return accepted;
    },
    // A plain pass copying each intent once, as any handling of it must at least do.
    baseline: () => {
      const copies: Intent[] = [];
      for (const { intent } of work) copies.push({ ...intent, payload: { ...intent.payload } } as Intent);
      return copies.length;
    },
  };
}
