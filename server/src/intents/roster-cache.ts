import { effectiveDay, rosterOn, type IsoDate, type RosterView } from '@schoolping/shared';
import type { Db } from '../db/database.ts';
import { loadRoster, type SchoolRow } from '../db/school-store.ts';

/**
 * The roster view intents are decided against, built once per school, effective day and roster
 * version. The version moves whenever an ingest writes records or a block changes (in whichever
 * thread or process), so a cached view never outlives the records it came from.
 */
export class RosterCache {
  readonly #views = new Map<number, { readonly key: string; readonly view: RosterView }>();

  viewFor(db: Db, school: SchoolRow, now: Date): RosterView {
    const day: IsoDate = effectiveDay(now);
    const version = db
      .prepare('SELECT roster_version FROM schools WHERE id = ?')
      .pluck()
      .get(school.id) as number;
    const key = `${day}:${version}`;
    const cached = this.#views.get(school.id);
    if (cached?.key === key) return cached.view;
    const view = rosterOn(loadRoster(db, school), day);
    this.#views.set(school.id, { key, view });
    return view;
  }
}
