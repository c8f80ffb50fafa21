import {
  directoryRecipientRoster,
  docName,
  effectiveDay,
  resolveRecipients,
  rosterOn,
  type Audience,
  type DirectoryContact,
  type DirectoryGroup,
  type DirectoryPupil,
  type Principal,
} from '@schoolping/shared';
import fc from 'fast-check';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAppWithContext } from '../app.ts';
import { loadRoster, type SchoolRow } from '../db/school-store.ts';
import { loadDemoOnFirstRun } from '../demo-data.ts';
import { tempDatabase } from '../../test/temp-database.ts';

/*
 * The recipient preview a teacher sees is worked out on her tablet from the directory document.
 * It must name exactly the parents the server then sends to, for any audience.
 */

const NOW = new Date('2027-03-15T09:00:00Z');
const temp = tempDatabase();
let school: SchoolRow;
let directory: Y.Doc;

beforeAll(() => {
  school = loadDemoOnFirstRun(temp.db, NOW) ?? expect.fail('the demo loads');
  const { sync } = createAppWithContext({ db: temp.db, clock: () => NOW, log: () => undefined });
  const staff: Principal = {
    userId: 1,
    schoolId: school.id,
    roles: ['staff'],
    contactId: null,
    isReadOnly: false,
  };
  const name = docName({ kind: 'directory', schoolId: school.id, owner: null, academicYear: null });
  if (!sync.open(staff, name).ok) expect.fail('staff open the directory');
  directory = new Y.Doc();
  Y.applyUpdate(directory, sync.documents.state(name));
});
afterAll(() => {
  temp.cleanup();
});

function normalised(list: ReturnType<typeof resolveRecipients>) {
  return {
    recipients: list.recipients
      .map((each) => `${each.contactId}:${[...each.pupilIds].sort().join(',')}`)
      .sort(),
    unreached: list.unreached.map((each) => `${each.pupilId}:${each.reason}`).sort(),
  };
}

it('previews, from the directory document, exactly the recipients the server resolves', () => {
  const server = rosterOn(loadRoster(temp.db, school), effectiveDay(NOW));
  const device = directoryRecipientRoster(
    new Map(directory.getMap<DirectoryPupil>('pupils').entries()),
    new Map(directory.getMap<DirectoryContact>('contacts').entries()),
    new Map(directory.getMap<DirectoryGroup>('groups').entries()),
  );
  const groupIds = [...server.groups.keys()];
  expect(groupIds.length).toBeGreaterThan(3);
  const audience: fc.Arbitrary<Audience> = fc.oneof(
    fc.constant<Audience>({ kind: 'school' }),
    fc
      .uniqueArray(fc.constantFrom(...groupIds), { minLength: 1, maxLength: 4 })
      .map((ids): Audience => ({ kind: 'groups', groupIds: ids })),
  );
  fc.assert(
    fc.property(audience, (each) => {
      expect(normalised(resolveRecipients(device, each))).toEqual(
        normalised(resolveRecipients(server, each)),
      );
    }),
    { numRuns: 60 },
  );
  // The demo's whole school reaches people, and the preview says so.
  expect(resolveRecipients(device, { kind: 'school' }).recipients.length).toBeGreaterThan(100);
});
