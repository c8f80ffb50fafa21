import { addDays, type IsoDate, type MisMembership, type MisPupil } from '@schoolping/shared';
import { cloneMaps, membershipKey, type RecordMaps } from '../../db/mis-records.ts';
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

  for (const pupil of records.pupils) next.pupil.set(pupil.id, keepKnown(stored, pupil, batch));
  for (const contact of records.contacts) next.contact.set(contact.id, contact);
  for (const group of records.groups) next.group.set(group.id, group);
  endGroups(stored, next, batch, day, leftKeys);
  for (const member of records.staff) next.staff.set(member.id, member);

  const isFull = batch.mode === 'full';
  const pupilsGone = isFull
    ? [...stored.pupil.keys()].filter((id) => !incomingPupils.has(id))
    : removed.pupil;
  for (const id of pupilsGone) {
    const pupil = next.pupil.get(id);
    // Off roll from the next 02:00 run, or sooner if the MIS already said so.
    const leavingDate = earlier(pupil?.leavingDate ?? null, addDays(day, 1));
    if (pupil && leavingDate !== pupil.leavingDate) {
      next.pupil.set(id, { ...pupil, leavingDate });
      leftKeys.add(`pupil:${id}`);
    }
  }
  const staffGone =
    isFull && batch.complete.staff
      ? [...stored.staff.keys()].filter((id) => !incomingStaff.has(id))
      : removed.staff;
  for (const id of staffGone) {
    const member = next.staff.get(id);
    // Staff who leave lose access at once, not at the next run.
    const leavingDate = earlier(member?.leavingDate ?? null, day);
    if (member && leavingDate !== member.leavingDate) {
      next.staff.set(id, { ...member, leavingDate });
      leftKeys.add(`staff:${id}`);
    }
  }

  mergeLinks(next, batch, incomingPupils);
  // The first import is the baseline: what it lists without dates is so now, not from tomorrow.
  const firstSeen = stored.pupil.size === 0 ? addDays(day, -1) : day;
  mergeMemberships(stored, next, batch, { day, firstSeen }, incomingPupils, leftKeys);
  return { next, leftKeys };
}

function mergeLinks(next: RecordMaps, batch: RosterBatch, incomingPupils: ReadonlySet<string>): void {
  const incoming = new Map(batch.records.links.map((link) => [recordKey.link(link), link]));
  if (batch.mode === 'full' && batch.complete.link) {
    // A link disappears only when its pupil is still in the feed without it.
    for (const [key, link] of next.link) {
      if (!incoming.has(key) && incomingPupils.has(link.pupilId)) next.link.delete(key);
    }
  }
  for (const key of batch.removed.link) next.link.delete(key);
  for (const [key, link] of incoming) next.link.set(key, link);
}

/**
 * A group a full snapshot no longer lists has ended (yesterday was its last day, so it goes at the
 * next run, as its memberships do); one a feed says is gone, likewise. Listed again, it is back.
 */
function endGroups(
  stored: RecordMaps,
  next: RecordMaps,
  batch: RosterBatch,
  day: IsoDate,
  leftKeys: Set<string>,
): void {
  const listed = new Set(batch.records.groups.map((group) => group.id));
  const gone =
    batch.mode === 'full' && batch.complete.group
      ? [...stored.group.keys()].filter((id) => !listed.has(id))
      : batch.removed.group;
  for (const id of gone) {
    const group = next.group.get(id);
    if (!group || group.endDate !== undefined) continue;
    next.group.set(id, { ...group, endDate: addDays(day, -1) });
    leftKeys.add(`group:${id}`);
  }
}

function mergeMemberships(
  stored: RecordMaps,
  next: RecordMaps,
  batch: RosterBatch,
  { day, firstSeen }: { readonly day: IsoDate; readonly firstSeen: IsoDate },
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
      const seen: MisMembership = { ...feed, startDate: firstSeen, endDate: null };
      next.membership.set(membershipKey(seen), seen);
    }
  }
  const groupsGone = new Set(batch.removed.group);
  if (batch.mode === 'full' && batch.complete.group) {
    for (const [id, group] of next.group) if (group.endDate !== undefined) groupsGone.add(id);
  }
  const membershipsGone = new Set(batch.removed.membership);
  for (const [pairKey, [key, membership]] of open) {
    if (incoming.has(pairKey)) continue;
    const isGone =
      (batch.mode === 'full' && isReconciled(next, batch, membership.groupId)) ||
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

function earlier(a: IsoDate | null, b: IsoDate): IsoDate {
  return a !== null && a < b ? a : b;
}

/**
 * What a feed row may not know. OneRoster has no entry date (the parser falls back to the first
 * enrollment, or today) and marks disabled users as leaving "today" on every send: keep the dates
 * already held so the same bundle twice changes nothing. A changeset may also omit demographics.
 */
function keepKnown(stored: RecordMaps, pupil: MisPupil, batch: RosterBatch): MisPupil {
  const known = stored.pupil.get(pupil.id);
  if (!known) return pupil;
  const isOneRoster = batch.source === 'oneroster';
  const leavingDate =
    isOneRoster && pupil.leavingDate !== null && known.leavingDate !== null
      ? earlier(known.leavingDate, pupil.leavingDate)
      : pupil.leavingDate;
  return {
    ...pupil,
    dateOfBirth: pupil.dateOfBirth ?? known.dateOfBirth,
    entryDate: isOneRoster ? known.entryDate : pupil.entryDate,
    leavingDate,
  };
}

/** In a full snapshot, is the membership list for this group's kind complete? */
function isReconciled(maps: RecordMaps, batch: RosterBatch, groupId: string): boolean {
  return isYearOrClass(maps, groupId) ? batch.complete.yearAndClass : batch.complete.otherGroups;
}

function isYearOrClass(maps: RecordMaps, groupId: string): boolean {
  const kind = maps.group.get(groupId)?.kind;
  return kind === 'year' || kind === 'registration';
}
