import type { AuditAction, AuditEntryDto } from '@essaim/protocol';
import { formatTimestamp } from '../../shared/dates.js';
import { isEspaceRole, roleLabel } from '../espaces/roles.js';
import { auditActionLabels, auditWords as w } from './messages.js';

/** Names the audit log can show instead of identifiers. */
export interface AuditNames {
  users: ReadonlyMap<string, string>;
  espaces: ReadonlyMap<string, string>;
  documents: ReadonlyMap<string, string>;
}

/** The French name of an action; an action this client does not know yet is shown as is. */
export function auditActionLabel(action: string): string {
  return (Object.hasOwn(auditActionLabels, action) && auditActionLabels[action as AuditAction]) || action;
}

const shortId = (id: string) => (id.length > 8 ? `${id.slice(0, 8)}…` : id);

function nameOf(names: ReadonlyMap<string, string>, id: unknown): string {
  if (typeof id !== 'string') return String(id);
  return names.get(id) ?? shortId(id);
}

function role(value: unknown): string {
  if (value === null || value === undefined) return w.noRole;
  return typeof value === 'string' && isEspaceRole(value) ? roleLabel[value] : String(value);
}

/** « Compte : Amélie Durand », « Espace : Groupe Ardèche »… or nothing when there is no target. */
export function auditTarget(
  entry: Pick<AuditEntryDto, 'targetType' | 'targetId'>,
  names: AuditNames,
): string {
  if (!entry.targetType || !entry.targetId) return '';
  const label = w.target[entry.targetType] ?? entry.targetType;
  const source =
    entry.targetType === 'user'
      ? names.users
      : entry.targetType === 'espace'
        ? names.espaces
        : entry.targetType === 'document'
          ? names.documents
          : new Map<string, string>();
  return `${label} : ${nameOf(source, entry.targetId)}`;
}

/** The details of an entry as one French sentence fragment (« rôle : Membre → Rapporteur ; espace : … »). */
export function auditDetails(details: AuditEntryDto['details'], names: AuditNames): string {
  if (!details) return '';
  const parts: string[] = [];
  if ('from' in details || 'to' in details) parts.push(w.roleChange(role(details.from), role(details.to)));
  for (const [key, value] of Object.entries(details)) {
    if (key === 'from' || key === 'to') continue;
    const label = w.detail[key] ?? key;
    let text: string;
    if (key === 'role') text = role(value);
    else if (key === 'espaceId') text = nameOf(names.espaces, value);
    else if (key === 'userId') text = nameOf(names.users, value);
    else if (key === 'reason') text = w.reasons[String(value)] ?? String(value);
    else if (key === 'key') text = w.keys[String(value)] ?? String(value);
    else if (key === 'quota') text = w.quotas[String(value)] ?? String(value);
    // A flood's first and last occurrence (aggregated rows, issue 15).
    else if ((key === 'first' || key === 'last') && typeof value === 'string') text = formatTimestamp(value);
    else if (typeof value === 'boolean') text = value ? w.yes : w.no;
    else if (typeof value === 'string' || typeof value === 'number') text = String(value);
    else text = JSON.stringify(value);
    parts.push(`${label} : ${text}`);
  }
  return parts.join(w.separator);
}
