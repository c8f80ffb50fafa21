import {
  decodeWalletEntry,
  docName,
  isoDate,
  SeededRandom,
  type DocRef,
  type Intent,
  type Principal,
  type Role,
  type Verdict,
} from '@schoolping/shared';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { createAppWithContext } from '../src/app.ts';
import { createUser, userById, type UserRow } from '../src/auth/users.ts';
import { attachKeyring, type Db } from '../src/db/database.ts';
import { loadRoster, loadWalletBook, type SchoolRow } from '../src/db/school-store.ts';
import { loadDemoOnFirstRun } from '../src/demo-data.ts';
import type { SignedIn } from '../src/http/session.ts';
import { ephemeralKeyring } from '../src/secrets/keyring.ts';
import { RosterCache } from '../src/intents/roster-cache.ts';
import type { SyncEngine } from '../src/sync/engine.ts';
import { tempDatabase } from './temp-database.ts';

/*
 * Many devices and the server in one process, over a network that drops, repeats and reorders
 * frames. Devices make intents offline; after the network heals, the world is checked.
 */

const LOADED = new Date('2027-03-15T09:00:00Z');
/** The day after the demo's Year 6 leave: leavers' wallets may close. */
const YEAR_END = new Date('2027-07-24T09:00:00+01:00');

export interface SimulationBase {
  readonly image: Buffer;
  /** Every seed's school has the same roster: its view is built once. */
  readonly rosters: RosterCache;
  readonly school: SchoolRow;
  readonly people: readonly { readonly user: UserRow; readonly devices: number }[];
  readonly leaverWallets: readonly string[];
  readonly stayingWallet: string;
  readonly classes: readonly string[];
}

/** The demo school and its people, made once and copied for every seed. */
export function simulationBase(): SimulationBase {
  const temp = tempDatabase();
  try {
    const { db } = temp;
    const school = loadDemoOnFirstRun(db, LOADED) ?? expectLoaded();
    const roster = loadRoster(db, school);
    const book = loadWalletBook(db, school.id);
    const add = (name: string, roles: Role[], contactId: string | null = null): UserRow =>
      createUser(
        db,
        {
          schoolId: school.id,
          kind: roles.includes('parent') ? 'parent' : 'staff',
          misId: contactId,
          email: `${name}@example.org`,
          name,
          roles,
        },
        LOADED,
      );
    const leaverIds = new Set(
      roster.pupils.filter((pupil) => pupil.leavingDate === '2027-07-23').map((pupil) => pupil.id),
    );
    const onlyLeavers = (contactId: string): boolean => {
      const children = roster.links
        .filter((link) => link.contactId === contactId)
        .map((link) => link.pupilId);
      return children.length > 0 && children.every((id) => leaverIds.has(id));
    };
    const wallets = Object.values(book.wallets);
    const leaverWallets = wallets
      .filter((wallet) => onlyLeavers(wallet.contactId))
      .slice(0, 5)
      .map((wallet) => wallet.id);
    const stayingWallet = wallets.find((wallet) => !onlyLeavers(wallet.contactId))?.id ?? '';
    const classes = roster.groups
      .filter((group) => group.kind === 'registration')
      .slice(0, 3)
      .map((group) => group.id);
    const recipients = roster.links
      .filter((link) => link.parentalResponsibility && classes.length > 0)
      .map((link) => link.contactId);
    const people = [
      { user: add('patel', ['staff', 'payments-admin']), devices: 2 },
      { user: add('jones', ['staff', 'payments-admin']), devices: 1 },
      { user: add('smith', ['staff']), devices: 2 },
      { user: add('khan', ['staff', 'school-admin']), devices: 1 },
      { user: add('parent-a', ['parent'], recipients[0] ?? null), devices: 2 },
      { user: add('parent-b', ['parent'], recipients[recipients.length - 1] ?? null), devices: 1 },
    ];
    // The staff documents are built once here rather than in every seed.
    const { sync } = createAppWithContext({ db, clock: () => YEAR_END, log: () => undefined });
    const admin = people[0]?.user;
    if (admin) {
      const principal = {
        userId: admin.id,
        schoolId: school.id,
        roles: ['staff', 'payments-admin', 'school-admin'] as Role[],
        contactId: null,
        isReadOnly: false,
      };
      for (const kind of ['payments', 'sent'] as const)
        sync.open(principal, docName({ kind, schoolId: school.id, owner: null, academicYear: null }));
    }
    // A WAL-mode image cannot be opened in memory; a rollback-journal one can.
    db.pragma('journal_mode = DELETE');
    return {
      image: db.serialize(),
      rosters: new RosterCache(),
      school,
      people,
      leaverWallets,
      stayingWallet,
      classes,
    };
  } finally {
    temp.cleanup();
  }
}

function expectLoaded(): never {
  throw new Error('the demo school loads into an empty database');
}

interface Device {
  readonly label: string;
  readonly person: UserRow;
  readonly signedIn: SignedIn;
  readonly docs: Map<string, { readonly ref: DocRef; readonly doc: Y.Doc }>;
  online: boolean;
  /** Frames the server has not had yet: this device's own outbox updates. */
  outgoing: Uint8Array[];
  /** Frames on their way to this device. */
  incoming: { readonly name: string; readonly update: Uint8Array }[];
  needsResync: boolean;
}

export interface SimulationResult {
  readonly seed: number;
  readonly problems: readonly string[];
  readonly decided: number;
}

/** One seeded run; returns what went wrong, in words, with the seed to replay it. */
export async function runSimulation(
  base: SimulationBase,
  seed: number,
  steps = 40,
): Promise<SimulationResult> {
  const random = new SeededRandom(seed);
  const db: Db = new Database(base.image);
  db.pragma('foreign_keys = ON');
  attachKeyring(db, ephemeralKeyring());
  let now = YEAR_END.getTime();
  const { sync: engine } = createAppWithContext({
    db,
    clock: () => new Date(now),
    log: () => undefined,
    rosters: base.rosters,
    // Backlogs cut into batches of one to three intents, by count alone so a seed replays exactly.
    batch: { budgetMs: Number.POSITIVE_INFINITY, maxIntents: random.int(1, 3) },
  });
  const problems: string[] = [];
  try {
    const devices = makeDevices(db, base, engine);
    let made = 0;
    for (let step = 0; step < steps; step++) {
      now += random.int(1, 120) * 1000;
      const device = random.pick(devices);
      const roll = random.next();
      if (roll < 0.15) device.online = !device.online;
      else if (roll < 0.55) made += makeIntent(random, base, device, made) ? 1 : 0;
      if (device.online) await exchange(random, engine, devices, device);
    }
    // The network heals: everyone online, until nothing more moves.
    for (const device of devices) device.online = true;
    for (let round = 0; round < 5; round++) {
      let moved = false;
      for (const device of devices) moved = (await heal(engine, device, problems)) || moved;
      if (!moved) break;
    }
    check(db, engine, devices, problems);
    return { seed, problems, decided: db.prepare('SELECT COUNT(*) FROM intents').pluck().get() as number };
  } finally {
    db.close();
  }
}

function makeDevices(db: Db, base: SimulationBase, engine: SyncEngine): Device[] {
  const devices: Device[] = [];
  for (const { user: stored, devices: count } of base.people) {
    const user = userById(db, stored.id) ?? stored;
    const principal: Principal = {
      userId: user.id,
      schoolId: user.schoolId,
      roles: user.roles,
      contactId: user.kind === 'parent' ? user.misId : null,
      isReadOnly: false,
    };
    const signedIn = { principal, user, session: {} as SignedIn['session'] };
    for (let index = 0; index < count; index++) {
      const docs = new Map<string, { ref: DocRef; doc: Y.Doc }>();
      const names = [
        docName({ kind: 'outbox', schoolId: user.schoolId, owner: String(user.id), academicYear: null }),
      ];
      if (user.roles.includes('payments-admin'))
        names.push(docName({ kind: 'payments', schoolId: user.schoolId, owner: null, academicYear: null }));
      if (user.roles.includes('staff') || user.roles.includes('school-admin'))
        names.push(docName({ kind: 'sent', schoolId: user.schoolId, owner: null, academicYear: null }));
      if (principal.contactId !== null)
        names.push(
          docName({
            kind: 'parent-inbox',
            schoolId: user.schoolId,
            owner: principal.contactId,
            academicYear: 2026,
          }),
        );
      const device: Device = {
        label: `${user.name}#${index + 1}`,
        person: user,
        signedIn,
        docs,
        online: true,
        outgoing: [],
        incoming: [],
        needsResync: false,
      };
      for (const name of names) {
        const opened = engine.open(principal, name);
        if (!opened.ok) throw new Error(`${device.label} cannot open ${name}`);
        const doc = new Y.Doc();
        Y.applyUpdate(doc, engine.documents.state(name));
        doc.on('update', (update: Uint8Array, origin: unknown) => {
          if (origin !== 'server' && opened.ref.kind === 'outbox') device.outgoing.push(update);
        });
        docs.set(name, { ref: opened.ref, doc });
      }
      devices.push(device);
    }
  }
  return devices;
}

function makeIntent(random: SeededRandom, base: SimulationBase, device: Device, made: number): boolean {
  const outbox = [...device.docs.values()].find((each) => each.ref.kind === 'outbox');
  if (!outbox) return false;
  const roles = device.person.roles;
  const author = String(device.person.id);
  const envelope = {
    id: `i-${device.label}-${made}`,
    author,
    device: device.label,
    createdAt: new Date(YEAR_END).toISOString(),
  };
  const messageId = `m-${random.int(1, 4)}`;
  let intent: Intent;
  if (roles.includes('payments-admin')) {
    const walletId = random.chance(0.85) ? random.pick(base.leaverWallets) : base.stayingWallet;
    const roll = random.next();
    intent =
      roll < 0.4
        ? { ...envelope, type: 'wallet-close', payload: { walletIds: [walletId] } }
        : roll < 0.8
          ? { ...envelope, type: 'wallet-settle', payload: { walletId, refundDate: isoDate('2027-07-24') } }
          : {
              ...envelope,
              type: 'wallet-entry',
              payload: {
                walletId,
                kind: random.chance(0.5) ? 'top-up' : 'charge',
                amount: random.int(1, 5000),
                description: 'Trip to the farm',
              },
            };
  } else if (roles.includes('parent')) {
    intent = { ...envelope, type: 'message-read', payload: { messageId } };
  } else {
    intent = random.chance(0.7)
      ? {
          ...envelope,
          type: 'message-send',
          payload: {
            messageId,
            subject: `Note ${messageId}`,
            body: 'Details inside.',
            audience: { kind: 'groups', groupIds: [random.pick(base.classes)] },
          },
        }
      : { ...envelope, type: 'message-delete', payload: { messageIds: [messageId] } };
  }
  outbox.doc.getMap('intents').set(intent.id, intent);
  return true;
}

/** One device talks to the server: some of its frames go (maybe twice, maybe out of order), some come. */
async function exchange(
  random: SeededRandom,
  engine: SyncEngine,
  devices: readonly Device[],
  device: Device,
): Promise<void> {
  const outbox = [...device.docs.entries()].find(([, each]) => each.ref.kind === 'outbox');
  if (outbox) {
    const [name, { ref, doc }] = outbox;
    let frames = device.needsResync
      ? [Y.encodeStateAsUpdate(doc, engine.documents.stateVector(name))]
      : device.outgoing.filter(() => random.chance(0.7));
    if (random.chance(0.3)) frames = [...frames].reverse();
    if (random.chance(0.3) && frames[0]) frames = [...frames, frames[0]];
    device.needsResync = false;
    for (const frame of frames) {
      const result = await engine.receiveUpdate(device.signedIn, name, ref, frame);
      if (result.kind === 'refused') {
        // The socket closes; on reconnecting, step 1 and 2 send everything the server lacks.
        device.needsResync = true;
        break;
      }
      if (result.kind === 'stored') broadcast(devices, result.written);
    }
    if (!device.needsResync) device.outgoing = device.outgoing.filter((frame) => !frames.includes(frame));
  }
  // Frames on their way arrive in any order, some twice.
  const arriving = device.incoming.filter(() => random.chance(0.8));
  if (random.chance(0.3)) arriving.reverse();
  for (const { name, update } of arriving) {
    const local = device.docs.get(name);
    if (local) Y.applyUpdate(local.doc, update, 'server');
  }
  device.incoming = device.incoming.filter((frame) => !arriving.includes(frame) || random.chance(0.1));
}

function broadcast(devices: readonly Device[], written: ReadonlyMap<string, Uint8Array>): void {
  for (const [name, update] of written) {
    for (const device of devices)
      if (device.online && device.docs.has(name)) device.incoming.push({ name, update });
  }
}

/** Reconnecting: step 1 and step 2 both ways for every document. Returns whether anything moved. */
async function heal(engine: SyncEngine, device: Device, problems: string[]): Promise<boolean> {
  let moved = false;
  for (const [name, { ref, doc }] of device.docs) {
    if (ref.kind === 'outbox') {
      const mine = Y.encodeStateAsUpdate(doc, engine.documents.stateVector(name));
      const result = await engine.receiveUpdate(device.signedIn, name, ref, mine);
      if (result.kind === 'refused')
        problems.push(`${device.label}: the server refused a full resync of ${name}: ${result.problem}`);
    }
    engine.refresh(name);
    // Always applied: deletions travel in every diff but never show in a state vector.
    const changed = { any: false };
    const listener = (): void => {
      changed.any = true;
    };
    doc.on('update', listener);
    Y.applyUpdate(doc, engine.documents.diff(name, Y.encodeStateVector(doc)), 'server');
    doc.off('update', listener);
    moved ||= changed.any;
  }
  device.outgoing = [];
  device.incoming = [];
  return moved;
}

function check(db: Db, engine: SyncEngine, devices: readonly Device[], problems: string[]): void {
  // Every replica converges on the server's copy.
  for (const device of devices) {
    for (const [name, { doc }] of device.docs) {
      const server = new Y.Doc();
      Y.applyUpdate(server, engine.documents.state(name));
      const mine = snapshot(doc);
      const theirs = snapshot(server);
      const differing = Object.keys(mine).filter(
        (key) => JSON.stringify(mine[key]) !== JSON.stringify(theirs[key]),
      );
      if (differing.length > 0) {
        const key = differing[0] ?? '';
        problems.push(
          `${device.label}: ${name} differs from the server's in ${differing.join(', ')}: ${JSON.stringify(mine[key]).slice(0, 300)} vs ${JSON.stringify(theirs[key]).slice(0, 300)}`,
        );
      }
      server.destroy();
    }
  }
  // Nothing acknowledged is lost: every intent on any device has a verdict, the one the server kept.
  const stored = new Map(
    (db.prepare('SELECT id, verdict FROM intents').all() as { id: string; verdict: string }[]).map((row) => [
      row.id,
      row.verdict,
    ]),
  );
  for (const device of devices) {
    const outbox = [...device.docs.values()].find((each) => each.ref.kind === 'outbox');
    if (!outbox) continue;
    const verdicts = outbox.doc.getMap<Verdict>('verdicts');
    for (const id of outbox.doc.getMap('intents').keys()) {
      const verdict = verdicts.get(id);
      if (!verdict) problems.push(`${device.label}: intent ${id} has no verdict after healing`);
      else if (stored.get(id) !== JSON.stringify(verdict))
        problems.push(`${device.label}: intent ${id}'s verdict is not the one kept`);
    }
  }
  // Each accepted settle is reflected once; no wallet is settled twice; money adds up.
  const refunds = db
    .prepare(
      "SELECT wallet_id, COUNT(*) AS n FROM ledger_entries WHERE kind = 'refund' GROUP BY wallet_id HAVING n > 1",
    )
    .all();
  if (refunds.length > 0) problems.push(`wallets refunded twice: ${JSON.stringify(refunds)}`);
  const settles = db
    .prepare(
      "SELECT COUNT(*) FROM intents WHERE type = 'wallet-settle' AND json_extract(verdict, '$.status') = 'accepted'",
    )
    .pluck()
    .get() as number;
  const settled = db.prepare("SELECT COUNT(*) FROM wallets WHERE status = 'settled'").pluck().get() as number;
  if (settles !== settled) problems.push(`${settles} settles accepted but ${settled} wallets settled`);
  const unbalanced = db
    .prepare(
      "SELECT w.id FROM wallets w WHERE w.status = 'settled' AND (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.school_id = w.school_id AND e.wallet_id = w.id) <> 0",
    )
    .all();
  if (unbalanced.length > 0) problems.push(`settled wallets with money left: ${JSON.stringify(unbalanced)}`);
  const sends = db
    .prepare(
      "SELECT COUNT(*) FROM intents WHERE type = 'message-send' AND json_extract(verdict, '$.status') = 'accepted'",
    )
    .pluck()
    .get() as number;
  const messages = db.prepare('SELECT COUNT(*) FROM messages').pluck().get() as number;
  if (sends !== messages) problems.push(`${sends} sends accepted but ${messages} messages stored`);
  // The payments document agrees with the ledger.
  const ledger = new Map(
    (
      db
        .prepare(
          'SELECT id, status, (SELECT COALESCE(SUM(amount), 0) FROM ledger_entries e WHERE e.school_id = w.school_id AND e.wallet_id = w.id) AS balance FROM wallets w',
        )
        .all() as { id: string; status: string; balance: number }[]
    ).map((row) => [row.id, row]),
  );
  for (const device of devices) {
    for (const { ref, doc } of device.docs.values()) {
      if (ref.kind !== 'payments') continue;
      for (const [id, entry] of doc.getMap<unknown>('wallets')) {
        const wallet = decodeWalletEntry(entry);
        const row = ledger.get(id);
        if (!wallet || !row || row.balance !== wallet.balance || row.status !== wallet.status) {
          problems.push(`${device.label}: payments shows wallet ${id} wrongly`);
        }
      }
    }
  }
}

function snapshot(doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['meta', 'intents', 'verdicts', 'messages', 'reads', 'readCounts', 'wallets', 'wallet']) {
    // Entries in key order: replicas agree on content, not on the order entries arrived in.
    const entries = Object.entries(doc.getMap(key).toJSON()).sort(([a], [b]) => a.localeCompare(b));
    out[key] = Object.fromEntries(entries);
  }
  return out;
}
