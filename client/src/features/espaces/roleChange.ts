import type { EspaceRole } from './roles.js';
import { espacesMessages as m } from './messages.js';

/** Roles that write documents, and so hold assignments. */
const writes = (role: EspaceRole): boolean => role === 'rapporteur' || role === 'animateur';

/** At most this many titles are named; the count says the rest. */
const NAMED_TITLES = 3;

/** `« A », « B », « C »…`: the titles of a person's documents, a few of them named. */
function titlesOf(titles: readonly string[]): string {
  const named = titles.slice(0, NAMED_TITLES).map((t) => `« ${t} »`);
  return titles.length > NAMED_TITLES ? `${named.join(', ')}…` : named.join(', ');
}

/**
 * What a role change will do, in French sentences, for the confirmation asked before it (issue
 * 15: making a rapporteur membre used to apply at once and drop her assignments). `assignedTitles`
 * are the documents currently assigned to the person; the server keeps them, suspended, while the
 * role cannot write, and gives them back with a writing role.
 */
export function roleChangeConsequences(change: {
  name: string;
  from: EspaceRole;
  to: EspaceRole;
  assignedTitles: readonly string[];
  self: boolean;
}): string[] {
  const { name, from, to, assignedTitles } = change;
  const sentences: string[] = [];
  if (change.self) sentences.push(m.roleChangeSelf);
  if (to === 'membre') {
    sentences.push(m.roleBecomesMembre(name));
    if (writes(from))
      sentences.push(
        assignedTitles.length > 0
          ? m.roleKeepsAssignments(assignedTitles.length, titlesOf(assignedTitles))
          : m.roleNoAssignments,
      );
  } else if (to === 'animateur') {
    sentences.push(m.roleBecomesAnimateur(name));
    if (from === 'membre') sentences.push(m.roleRestoresAssignments);
  } else {
    sentences.push(from === 'animateur' ? m.roleLeavesAnimateur(name) : m.roleBecomesRapporteur(name));
    if (from === 'membre') sentences.push(m.roleRestoresAssignments);
  }
  return sentences;
}
