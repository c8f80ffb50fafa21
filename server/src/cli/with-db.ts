import { readConfig } from '../config.ts';
import type { Db } from '../db/database.ts';
import { openServerDatabase } from '../secrets/startup.ts';
import { listSchools, schoolById, type SchoolRow } from '../db/school-store.ts';
import { UsageError } from './args.ts';

/** The data folder's database with the server key, as the server opens it (the key made if new). */
export function openConfigured(): Db {
  const config = readConfig();
  return openServerDatabase(config.dataDir, config.keyFile, new Date(), (line) => {
    console.error(line);
  });
}

export function withDb<T>(work: (db: Db) => T): T {
  const db = openConfigured();
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
    throw new UsageError(`Say which school with --school ID. Schools: ${describeSchools(db)}`);
  return only;
}

function describeSchools(db: Db): string {
  const schools = listSchools(db);
  return schools.length === 0 ? 'none yet' : schools.map((s) => `${s.id} ${s.name} (${s.estab})`).join('; ');
}
