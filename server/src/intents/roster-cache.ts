import { DOC_SHAPE_VERSION, effectiveDay, rosterOn, type IsoDate, type RosterView } from '@schoolping/shared';
import type { SchoolRow } from '../db/school-store.ts';
import type { ReadModelSource } from '../db/sync-store/store.ts';

/**
 * The roster view intents are decided against, built once per school, effective day and roster
 * version. The version moves whenever an ingest writes records or a block changes (in whichever
 * thread or process), so a cached view never outlives the records it came from.
 */
export class RosterCache {
  readonly #views = new Map<number, { readonly key: string; readonly view: RosterView }>();

  viewFor(store: ReadModelSource, school: SchoolRow, now: Date): RosterView {
    const day: IsoDate = effectiveDay(now);
    const key = rosterKey(day, store.rosterVersion(school.id));
    const cached = this.#views.get(school.id);
    if (cached?.key === key) return cached.view;
    const view = rosterOn(store.roster(school), day);
    this.#views.set(school.id, { key, view });
    return view;
  }
}

/** What a read model was built for: the effective day and the roster version. */
export function rosterKey(day: IsoDate, version: number): string {
  // The shape's version too: a new shape rebuilds every read model on its next open.
  return `${DOC_SHAPE_VERSION}:${day}:${version}`;
}
