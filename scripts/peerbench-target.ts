/**
 * Our sync hub's storage and wire path as a peerbench target: documents kept in SQLite as stored
 * updates and answered from that encoded state (no Y.Doc), over `/sync/<document>` in the
 * y-websocket format. The harness's clients cannot sign in (they send no cookie), so this target
 * leaves out the session and policy checks the real hub makes at the upgrade and on each frame.
 * The harness's prepared documents (DOCS_DIR/<name>.bin) are imported into SQLite by a child
 * process before the server listens.
 *
 *   npx tsx scripts/peerbench-target.ts --port 4444   (with DOCS_DIR set)
 */
import { readMessage, step1Message, step2Message } from '@schoolping/shared';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { openDatabase } from '../server/src/db/database.ts';
import { ephemeralKeyring } from '../server/src/secrets/keyring.ts';
import { sqliteSyncStore } from '../server/src/db/sync-store/sqlite.ts';
import { Documents } from '../server/src/sync/documents.ts';

const docsDir = process.env.DOCS_DIR ?? '';

/** Copies the harness's documents into the data folder's SQLite file. */
function importDocuments(dataDir: string): void {
  const db = openDatabase(dataDir, ephemeralKeyring());
  const store = sqliteSyncStore(db);
  db.transaction(() => {
    for (const file of readdirSync(docsDir).filter((name) => name.endsWith('.bin'))) {
      store.append(file.slice(0, -'.bin'.length), new Uint8Array(readFileSync(join(docsDir, file))));
    }
  })();
  db.close();
}

const importInto = process.argv.indexOf('--import-into');
if (importInto !== -1) {
  importDocuments(process.argv[importInto + 1] ?? '');
  process.exit(0);
}

// The import runs in a process of its own, as a school's documents would already be on disk:
// the memory it takes is not the server's.
const dataDir = mkdtempSync(join(tmpdir(), 'schoolping-peerbench-'));
execFileSync(
  process.execPath,
  [...process.execArgv, fileURLToPath(import.meta.url), '--import-into', dataDir],
  {
    stdio: 'inherit',
  },
);
const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? process.env.PORT);
const db = openDatabase(dataDir, ephemeralKeyring());
const documents = new Documents(sqliteSyncStore(db));

const http = createServer((_request, response) => {
  response.writeHead(404).end();
});
const sockets = new WebSocketServer({ server: http, maxPayload: 1024 * 1024 });
sockets.on('connection', (socket, request) => {
  const path = new URL(request.url ?? '/', 'http://localhost').pathname;
  const name = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  socket.send(step1Message(documents.stateVector(name)));
  socket.on('message', (data: Buffer) => {
    try {
      const message = readMessage(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      if (message.kind === 'step1') socket.send(step2Message(documents.diff(name, message.stateVector)));
    } catch {
      socket.close(4400, 'refused');
    }
  });
});
http.listen(port, '127.0.0.1');

process.on('SIGTERM', () => {
  sockets.close();
  http.close();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
