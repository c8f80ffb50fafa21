import type { Db } from '../database.ts';
import type { DocStore } from './store.ts';

/** Documents' stored updates: `doc_updates`, with `doc_builds` and `doc_clocks` beside them. */
export function sqliteDocStore(db: Db): DocStore {
  const select = db.prepare('SELECT data FROM doc_updates WHERE doc = ? ORDER BY id').pluck();
  const insert = db.prepare('INSERT INTO doc_updates (doc, data) VALUES (?, ?)');
  const remove = db.prepare('DELETE FROM doc_updates WHERE doc = ?');
  const count = db.prepare('SELECT COUNT(*) FROM doc_updates WHERE doc = ?').pluck();
  const builtFor = db.prepare('SELECT roster_key FROM doc_builds WHERE doc = ?').pluck();
  const serverClock = db.prepare('SELECT clock FROM doc_clocks WHERE doc = ?').pluck();
  const setServerClock = db.prepare(
    'INSERT INTO doc_clocks (doc, clock) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET clock = excluded.clock',
  );
  const setBuiltFor = db.prepare(
    'INSERT INTO doc_builds (doc, roster_key) VALUES (?, ?) ON CONFLICT (doc) DO UPDATE SET roster_key = excluded.roster_key',
  );
  return {
    updates: (doc) => (select.all(doc) as Buffer[]).map((data) => new Uint8Array(data)),
    append: (doc, update) => {
      insert.run(doc, update);
    },
    replace: (doc, update) => {
      remove.run(doc);
      insert.run(doc, update);
    },
    count: (doc) => count.get(doc) as number,
    builtFor: (doc) => (builtFor.get(doc) as string | undefined) ?? null,
    setBuiltFor: (doc, rosterKey) => {
      setBuiltFor.run(doc, rosterKey);
    },
    serverClock: (doc) => (serverClock.get(doc) as number | undefined) ?? null,
    setServerClock: (doc, clock) => {
      setServerClock.run(doc, clock);
    },
    transaction: (work) => db.transaction(work)(),
  };
}
