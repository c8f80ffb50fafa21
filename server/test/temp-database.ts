import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../src/db/database.ts';
import { ephemeralKeyring } from '../src/secrets/keyring.ts';

/** A real SQLite file in a fresh temporary folder, removed by `cleanup`. */
export function tempDatabase(): { db: Db; dataDir: string; cleanup: () => void } {
  const dataDir = mkdtempSync(join(tmpdir(), 'schoolping-test-'));
  const db = openDatabase(dataDir, ephemeralKeyring());
  return {
    db,
    dataDir,
    cleanup: () => {
      if (db.open) db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
