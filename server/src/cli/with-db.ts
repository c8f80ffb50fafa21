import { readConfig } from '../config.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db/database.ts';
import { DATABASE_FILE, openServerDatabase } from '../secrets/startup.ts';
import { listSchools, schoolById, type SchoolRow } from '../db/school-store.ts';
import { UsageError } from './args.ts';

/**
 * The data folder's database with the server key, as the server opens it. The folder must exist:
 * a mistyped DATA_DIR is an error, not a new empty database (only `school-add` may start one).
 */
export function openConfigured({ mayCreate = false }: { readonly mayCreate?: boolean } = {}): Db {
  const config = readConfig();
  if (!mayCreate && !existsSync(join(config.dataDir, DATABASE_FILE))) {
    throw new UsageError(
      `There is no SchoolPing database in ${config.dataDir}. Check DATA_DIR, or start here: \`npm start\` makes one with the demo school, \`npx schoolping school-add --name … --estab …\` an empty one.`,
    );
  }
  return openServerDatabase(config.dataDir, config.keyFile, new Date(), (line) => {
    console.error(line);
  });
}

export function withDb<T>(work: (db: Db) => T, options: { readonly mayCreate?: boolean } = {}): T {
  const db = openConfigured(options);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

export async function withDbAsync<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = openConfigured();
  try {
    return await work(db);
  } finally {
    db.close();
  }
}

/** `--school ID`, or the only school when there is just one. */
export function pickSchool(db: Db, id: number | undefined): SchoolRow {
  if (id !== undefined) {
    const school = schoolById(db, id);
    if (!school) throw new UsageError(`There is no school ${id}. Schools: ${describeSchools(db)}`);
    return school;
  }
  const schools = listSchools(db);
  const [only] = schools;
  if (schools.length !== 1 || !only)
    throw new UsageError(
      schools.length === 0
        ? 'There is no school yet: add one with `npx schoolping school-add --name … --estab …`, or load the demo school with `npx schoolping demo-load`.'
        : `Say which school with --school ID. Schools: ${describeSchools(db)}`,
    );
  return only;
}

function describeSchools(db: Db): string {
  const schools = listSchools(db);
  return schools.length === 0 ? 'none yet' : schools.map((s) => `${s.id} ${s.name} (${s.estab})`).join('; ');
}
