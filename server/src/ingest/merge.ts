import { addDays, type IsoDate, type MisMembership, type MisPupil } from '@schoolping/shared';
import { cloneMaps, membershipKey, type RecordMaps } from './roster-records.ts';
import { recordKey, type FeedMembership, type RosterBatch } from './types.ts';

/*
 * How a feed changes the stored roster. The MIS is the truth, but feeds say "no longer in this
 * result set", never "deleted": a pupil who drops out of the on-roll list has left, and keeps their
 * links so their parents' status can still be worked out. `day` is the school day of the latest
 * 02:00 run, so what is first seen now shows at the next one.
 */

export interface Merged {
  readonly next: RecordMaps;
  /** `kind:key` of records this batch marked as leaving. */
  readonly leftKeys: ReadonlySet<string>;
}

export function mergeBatch(stored: RecordMaps, batch: RosterBatch, day: IsoDate): Merged {
  const next = cloneMaps(stored);
  const leftKeys = new Set<string>();
  const { records, removed } = batch;
  const incomingPupils = new Set(records.pupils.map((pupil) => pupil.id));
  const incomingStaff = new Set(records.staff.map((member) => member.id));

  for (const pupil of records.pupils)
    next.pupil.set(pupil.id, batch.mode === 'delta' ? keepKnown(stored, pupil, batch) : pupil);
  for (const contact of records.contacts) next.contact.set(contact.id, contact);
  for (const group of records.groups) next.group.set(group.id, group);
  for (const member of records.staff) next.staff.set(member.id, member);

  const pupilsGone =
    batch.mode === 'full' ? [...stored.pupil.keys()].filter((id) => !incomingPupils.has(id)) : removed.pupil;
  for (const id of pupilsGone) {
    const pupil = next.pupil.get(id);
    if (pupil && pupil.leavingDate === null) {
      // Off roll from the next 02:00 run.
      next.pupil.set(id, { ...pupil, leavingDate: addDays(day, 1) });
      leftKeys.add(`pupil:${id}`);
    }
  }
  const staffGone =
    batch.mode === 'full' ? [...stored.staff.keys()].filter((id) => !incomingStaff.has(id)) : removed.staff;
  for (const id of staffGone) {
    const member = next.staff.get(id);
    // Staff who leave lose access at once, not at the next run.
    if (member && member.leavingDate === null) {
      next.staff.set(id, { ...member, leavingDate: day });
      leftKeys.add(`staff:${id}`);
    }
  }

  mergeLinks(next, batch, incomingPupils);
  mergeMemberships(stored, next, batch, day, incomingPupils, leftKeys);
  return { next, leftKeys };
}

function mergeLinks(next: RecordMaps, batch: RosterBatch, incomingPupils: ReadonlySet<string>): void {
  const incoming = new Map(batch.records.links.map((link) => [recordKey.link(link), link]));
  if (batch.mode === 'full') {
    // A link disappears only when its pupil is still in the feed without it.
    for (const [key, link] of next.link) {
      if (!incoming.has(key) && incomingPupils.has(link.pupilId)) next.link.delete(key);
    }
  }
  for (const key of batch.removed.link) next.link.delete(key);
  for (const [key, link] of incoming) next.link.set(key, link);
}

function mergeMemberships(
  stored: RecordMaps,
  next: RecordMaps,
  batch: RosterBatch,
  day: IsoDate,
  incomingPupils: ReadonlySet<string>,
  leftKeys: Set<string>,
): void {
  const open = new Map<string, [string, MisMembership]>();
  for (const [key, membership] of stored.membership) {
    if (membership.endDate === null) open.set(recordKey.membership(membership), [key, membership]);
  }
  const incoming = new Map<string, FeedMembership>(
    batch.records.memberships.map((m) => [recordKey.membership(m), m]),
  );
  for (const [pairKey, feed] of incoming) {
    if (feed.startDate !== null) {
      const dated: MisMembership = { ...feed, startDate: feed.startDate };
      next.membership.set(membershipKey(dated), dated);
    } else if (!open.has(pairKey)) {
      const seen: MisMembership = { ...feed, startDate: day, endDate: null };
      next.membership.set(membershipKey(seen), seen);
    }
  }
  const groupsGone = new Set(batch.removed.group);
  const membershipsGone = new Set(batch.removed.membership);
  for (const [pairKey, [key, membership]] of open) {
    if (incoming.has(pairKey)) continue;
    const isGone =
      batch.mode === 'full' ||
      membershipsGone.has(pairKey) ||
      groupsGone.has(membership.groupId) ||
      // A pupil's record names their current year and class; other groups come and go by list.
      (incomingPupils.has(membership.pupilId) && isYearOrClass(next, membership.groupId));
    if (!isGone) continue;
    const endDate = addDays(day, -1);
    if (membership.startDate > endDate) next.membership.delete(key);
    else next.membership.set(key, { ...membership, endDate });
    leftKeys.add(`membership:${key}`);
  }
}

/**
 * A changeset row may not carry everything the server knows: OneRoster deltas often omit the
 * demographics and enrollment rows that give a birth date and an entry date. Keep what is known.
 */
function keepKnown(stored: RecordMaps, pupil: MisPupil, batch: RosterBatch): MisPupil {
  const known = stored.pupil.get(pupil.id);
  if (!known) return pupil;
  return {
    ...pupil,
    dateOfBirth: pupil.dateOfBirth ?? known.dateOfBirth,
    entryDate: batch.source === 'oneroster' ? known.entryDate : pupil.entryDate,
  };
}

function isYearOrClass(maps: RecordMaps, groupId: string): boolean {
  const kind = maps.group.get(groupId)?.kind;
  return kind === 'year' || kind === 'registration';
}
