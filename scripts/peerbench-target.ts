/**
 * Our sync hub's storage and wire path as a peerbench target: documents kept in SQLite as stored
 * updates and answered from that encoded state (no Y.Doc), over `/sync/<document>` in the
 * y-websocket format. The harness's clients cannot sign in (they send no cookie), so this target
 * leaves out the session and policy checks the real hub makes at the upgrade and on each frame;
 * it imports the harness's prepared documents (DOCS_DIR/<name>.bin) before it listens.
 *
 *   npx tsx scripts/peerbench-target.ts --port 4444   (with DOCS_DIR set)
 */
import { readMessage, step1Message, step2Message } from '@schoolping/shared';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { openDatabase } from '../server/src/db/database.ts';
import { ephemeralKeyring } from '../server/src/secrets/keyring.ts';
import { sqliteDocStore } from '../server/src/sync/doc-store.ts';
import { Documents } from '../server/src/sync/documents.ts';

const port = Number(process.argv[process.argv.indexOf('--port') + 1] ?? process.env.PORT);
const docsDir = process.env.DOCS_DIR ?? '';
const dataDir = mkdtempSync(join(tmpdir(), 'schoolping-peerbench-'));
const db = openDatabase(dataDir, ephemeralKeyring());
const documents = new Documents(sqliteDocStore(db));

db.transaction(() => {
  for (const file of readdirSync(docsDir).filter((name) => name.endsWith('.bin'))) {
    documents.store.append(file.slice(0, -'.bin'.length), new Uint8Array(readFileSync(join(docsDir, file))));
  }
})();

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
