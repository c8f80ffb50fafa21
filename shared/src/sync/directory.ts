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
