import * as Y from 'yjs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { sqliteSyncStore } from '../db/sync-store/sqlite.ts';
import { tempDatabase } from '../../test/temp-database.ts';
import { Documents, SERVER_CLIENT_ID } from './documents.ts';

let temp: ReturnType<typeof tempDatabase>;
let documents: Documents;
beforeEach(() => {
  temp = tempDatabase();
  documents = new Documents(sqliteSyncStore(temp.db));
});
afterEach(() => {
  temp.cleanup();
});

/** Every client id that wrote into the document's stored updates. */
function writers(doc: string): Set<number> {
  const clients = new Set<number>();
  for (const update of temp.db
    .prepare('SELECT data FROM doc_updates WHERE doc = ?')
    .pluck()
    .all(doc) as Buffer[]) {
    for (const struct of Y.decodeUpdate(new Uint8Array(update)).structs) clients.add(struct.id.client);
  }
  return clients;
}

it('writes under the server’s own client id when an entry added without loading is then changed', () => {
  const inbox = 's1.inbox._43.2026';
  const built = documents.begin();
  built.change(inbox, (ydoc) => {
    ydoc.getMap('messages').set('old', { subject: 'Built' });
  });
  built.store();

  // A send then a delete of the same message in one unit of work: added, then changed.
  const session = documents.begin();
  session.addEntryIfBuilt(inbox, 'messages', 'new', { subject: 'Sent' });
  session.change(inbox, (ydoc) => {
    ydoc.getMap('messages').delete('new');
    ydoc.getMap('messages').set('later', { subject: 'Later' });
  });
  const written = session.store();

  expect(writers(inbox)).toEqual(new Set([SERVER_CLIENT_ID]));
  const reader = new Y.Doc();
  Y.applyUpdate(reader, documents.state(inbox));
  expect([...reader.getMap('messages').keys()].sort()).toEqual(['later', 'old']);
  // What subscribers are sent brings a copy from before the session to the same state.
  const before = new Y.Doc();
  Y.applyUpdate(
    before,
    temp.db
      .prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY id LIMIT 1')
      .pluck()
      .get(inbox) as Buffer,
  );
  Y.applyUpdate(before, written.get(inbox) ?? new Uint8Array());
  expect([...before.getMap('messages').keys()].sort()).toEqual(['later', 'old']);
});
