import type { IsoDate } from '../dates.ts';
import { appliedFor, checkLeavers, type LeaversCheck, type LeaversSource } from '../roster/leavers-check.ts';
import { contactStatusFrom, isLeaverOn } from '../roster/roster-on.ts';
import type { MisLink } from '../roster/types.ts';
import type { RecipientRoster } from '../messages/recipients.ts';
import type { DirectoryContact, DirectoryGroup, DirectoryPupil } from './doc-shapes.ts';

/** The directory document's rows as the roster recipients are resolved against. */
export function directoryRecipientRoster(
  pupils: ReadonlyMap<string, DirectoryPupil>,
  contacts: ReadonlyMap<string, DirectoryContact>,
  groups: ReadonlyMap<string, DirectoryGroup>,
): RecipientRoster {
  const links: MisLink[] = [];
  for (const pupil of pupils.values()) {
    for (const link of pupil.links) links.push({ pupilId: pupil.id, ...link });
  }
  return { pupils, contacts, groups, links };
}

/**
 * The leavers check from a device's directory, as the server makes it from the MIS records: the
 * same rows, order and flags, so it opens offline on a school tablet. `appliedDay` is the last day
 * the server's daily run applied (the directory's `meta.appliedDay`).
 */
export function directoryLeaversCheck(
  pupils: ReadonlyMap<string, DirectoryPupil>,
  contacts: ReadonlyMap<string, DirectoryContact>,
  appliedDay: IsoDate | null,
  date: IsoDate,
): LeaversCheck {
  const source: LeaversSource = {
    pupils: pupils.values(),
    contactName: (id) => contacts.get(id)?.name ?? null,
    contactStatusOn(id, day) {
      const contact = contacts.get(id);
      if (!contact) return 'leaver';
      return contactStatusFrom(
        contact.pupilIds,
        (pupilId) => {
          const pupil = pupils.get(pupilId);
          return pupil ? (isLeaverOn(pupil.leavingDate, day) ? 'leaver' : 'active') : undefined;
        },
        contact.joiningPupilIds.length,
      );
    },
  };
  const { applied, expectedOn } = appliedFor(date, appliedDay, (kind, id) =>
    kind === 'pupil' ? (pupils.get(id)?.applied ?? null) : (contacts.get(id)?.applied ?? null),
  );
  return checkLeavers(source, date, applied, expectedOn);
}
