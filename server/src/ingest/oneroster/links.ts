import type { MisLink } from '@schoolping/shared';
import type { Context } from './context.ts';
import type { ContactRole, UserKind } from './roles.ts';
import type { Row, Table } from './table.ts';
import { checkReference, listValue } from './values.ts';

interface Pair {
  readonly contactId: string;
  readonly role: ContactRole;
}

/**
 * Pupil–contact links from users.agentSourcedIds. OneRoster lets either side list the other (the
 * samples do both), so the union is taken. A pupil's own list comes first and sets the priority;
 * pairs that only the contact lists follow in file order. Links to anyone who is not a contact
 * (the samples point students at teachers) are ignored with a warning.
 */
export function readLinks(ctx: Context, users: Table, kinds: ReadonlyMap<string, UserKind>): MisLink[] {
  const fromPupil = new Map<string, Pair[]>();
  const fromContact = new Map<string, Pair[]>();
  for (const row of users.rows) {
    const agents = listValue(row, 'agentSourcedIds');
    if (row.deleted || agents.length === 0) continue;
    checkReference(ctx, users.file, row, 'agentSourcedIds', users);
    const kind = kinds.get(row.id);
    if (kind === undefined) continue; // the user was left out, with a warning already
    for (const agentId of agents) {
      const agent = kinds.get(agentId);
      if (kind.pupil) {
        if (agent?.contactRole) append(fromPupil, row.id, { contactId: agentId, role: agent.contactRole });
        else ignored(ctx, users, row, agentId, agent, 'is not a parent, guardian or relative');
      } else if (kind.contactRole !== null) {
        if (agent?.pupil) append(fromContact, agentId, { contactId: row.id, role: kind.contactRole });
        else ignored(ctx, users, row, agentId, agent, 'is not a student');
      } else {
        ctx.issues.warn(
          row.where('agentSourcedIds'),
          'agent-ignored',
          `${row.id} is staff, so the agentSourcedIds on their row (${agentId}) were ignored.`,
          users.file,
        );
      }
    }
  }
  const links: MisLink[] = [];
  for (const pupilId of new Set([...fromPupil.keys(), ...fromContact.keys()])) {
    const pairs = [...(fromPupil.get(pupilId) ?? []), ...(fromContact.get(pupilId) ?? [])];
    const seen = new Set<string>();
    for (const { contactId, role } of pairs) {
      if (seen.has(contactId)) continue;
      seen.add(contactId);
      links.push({
        pupilId,
        contactId,
        relationship: role.charAt(0).toUpperCase() + role.slice(1),
        priority: seen.size,
        parentalResponsibility: role !== 'relative',
      });
    }
  }
  return links;
}

function append(map: Map<string, Pair[]>, pupilId: string, pair: Pair): void {
  const list = map.get(pupilId);
  if (list) list.push(pair);
  else map.set(pupilId, [pair]);
}

function ignored(
  ctx: Context,
  users: Table,
  row: Row,
  agentId: string,
  agent: UserKind | undefined,
  why: string,
): void {
  // In a delta the other person may be on the server already; their role is not known here.
  const unknown = agent === undefined && !users.ids.has(agentId);
  if (unknown && ctx.mode === 'bulk') return; // reported as an unknown reference
  ctx.issues.warn(
    row.where('agentSourcedIds'),
    unknown ? 'agent-not-in-delta' : 'agent-not-contact',
    unknown
      ? `${row.id} lists ${agentId} in agentSourcedIds, who is not in this delta, so the link was not imported.`
      : `${row.id} lists ${agentId} in agentSourcedIds, but ${agentId} ${why}; the link was ignored.`,
    users.file,
  );
}
