import { demoSchool, docName, type Intent, type Principal, type Role } from '@schoolping/shared';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { createAppWithContext } from '../../server/src/app.ts';
import { createUser, type UserRow } from '../../server/src/auth/users.ts';
import { openDatabase, type Db } from '../../server/src/db/database.ts';
import {
  createSchool,
  loadRoster,
  saveWalletBook,
  type SchoolRow,
} from '../../server/src/db/school-store.ts';
import { demoBatch } from '../../server/src/demo-data.ts';
import type { SignedIn } from '../../server/src/http/session.ts';
import { ingestBatch } from '../../server/src/ingest/core/ingest.ts';
import { ephemeralKeyring } from '../../server/src/secrets/keyring.ts';
import { listenWithHub } from '../../server/test/listen.ts';
import type { SyncEngine } from '../../server/src/sync/engine.ts';

/** The 2,000-pupil secondary in a real SQLite file, with the sync engine and a teacher's outbox. */
export interface SyncSchool {
  readonly db: Db;
  readonly school: SchoolRow;
  readonly engine: SyncEngine;
  readonly teacher: SignedIn;
  readonly staff: Principal;
  readonly now: Date;
  /** Sends one message through the teacher's outbox, as the hub would take it from a socket. */
  send(payload: Extract<Intent, { type: 'message-send' }>['payload']): Promise<void>;
  /** Opens (builds) a read model as its reader would. */
  open(principal: Principal, name: string): void;
  /** A real HTTP server with the hub, for measuring bytes on the wire. */
  listen(): Promise<{ url: string; close: () => Promise<void> }>;
}

export function syncSchool(): SyncSchool {
  const now = new Date('2026-11-10T10:00:00Z');
  const db = openDatabase(mkdtempSync(join(tmpdir(), 'schoolping-bench-sync-')), ephemeralKeyring());
  const demo = demoSchool({ size: 'secondary', academicYear: 2026 });
  const school = createSchool(db, demo.mis.school, now);
  ingestBatch(db, school, demoBatch(demo.mis), 'xporter', now);
  saveWalletBook(db, school.id, demo.book);
  const { app, context, sync: engine } = createAppWithContext({ db, clock: () => now, log: () => undefined });
  const user: UserRow = createUser(
    db,
    {
      schoolId: school.id,
      kind: 'staff',
      misId: null,
      email: 'bench@example.org',
      name: 'Bench Teacher',
      roles: ['staff'] as Role[],
    },
    now,
  );
  const staff: Principal = {
    userId: user.id,
    schoolId: school.id,
    roles: user.roles,
    contactId: null,
    isReadOnly: false,
  };
  const teacher: SignedIn = { principal: staff, user, session: {} as SignedIn['session'] };
  const outbox = docName({ kind: 'outbox', schoolId: school.id, owner: String(user.id), academicYear: null });
  const opened = engine.open(staff, outbox);
  if (!opened.ok) throw new Error('the teacher opens their outbox');
  const device = new Y.Doc();
  let sent = 0;
  return {
    db,
    school,
    engine,
    teacher,
    staff,
    now,
    async send(payload) {
      const updates: Uint8Array[] = [];
      const listener = (update: Uint8Array): void => {
        updates.push(update);
      };
      device.on('update', listener);
      const id = `bench-send-${++sent}`;
      device.getMap('intents').set(id, {
        id,
        author: String(user.id),
        device: 'bench',
        createdAt: now.toISOString(),
        type: 'message-send',
        payload,
      });
      device.off('update', listener);
      const result = await engine.receiveUpdate(teacher, outbox, opened.ref, Y.mergeUpdates(updates));
      if (result.kind !== 'stored') throw new Error(`the send was ${result.kind}`);
    },
    open(principal, name) {
      const result = engine.open(principal, name);
      if (!result.ok) throw new Error(`cannot open ${name}: ${result.reason}`);
    },
    async listen() {
      const { port, close } = await listenWithHub(app, context, engine);
      return { url: `127.0.0.1:${port}`, close };
    },
  };
}

/** Every parent with parental responsibility, as principals whose inbox may be opened. */
export function parents(school: SyncSchool): Principal[] {
  const roster = loadRoster(school.db, school.school);
  const ids = new Set(
    roster.links.filter((link) => link.parentalResponsibility).map((link) => link.contactId),
  );
  return [...ids].map((contactId, index) => ({
    userId: 1_000_000 + index,
    schoolId: school.school.id,
    roles: ['parent'],
    contactId,
    isReadOnly: false,
  }));
}
