import type { AuditEntryDto } from '@essaim/protocol';
import { can, forbidden, type Actor } from '@essaim/domain';
import type { AuditRepository } from '../storage/auditRepository.js';

/** Security-relevant events. Names are stable identifiers; the interface translates them. */
export type AuditAction =
  | 'setup'
  | 'login.success'
  | 'login.failure'
  | 'login.rate_limited'
  | 'logout'
  | 'user.create'
  | 'user.disable'
  | 'user.enable'
  | 'espace.create'
  | 'member.role'
  | 'member.remove'
  | 'document.assign'
  | 'document.unassign'
  | 'invitation.create'
  | 'invitation.revoke'
  | 'invitation.accept'
  | 'password_reset.create'
  | 'password_reset.use'
  | 'document.create'
  | 'document.archive'
  | 'document.restore'
  | 'theme.create'
  | 'theme.update'
  | 'file.upload'
  /** Parts of a stored document could not be read when it was loaded (moved to quarantine). */
  | 'document.damaged'
  | 'document.repair'
  /** A writer's update was refused as malformed or invalid (issue 9): worth an administrator's look. */
  | 'document.update_refused'
  /** The animateur deleted someone else's comment, or a whole thread (issue 10). */
  | 'comment.moderate'
  | 'thread.moderate';

export interface AuditEvent {
  actorId: string | null;
  action: AuditAction;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  ip?: string | null;
}

export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(event: AuditEvent): void {
    this.repository.append({
      at: this.now().toISOString(),
      actorId: event.actorId,
      action: event.action,
      targetType: event.target?.type ?? null,
      targetId: event.target?.id ?? null,
      details: event.details ?? null,
      ip: event.ip ?? null,
    });
  }

  list(actor: Actor, limit = 100, before?: number): AuditEntryDto[] {
    if (!can(actor, 'audit.read', { type: 'instance' })) throw forbidden();
    return this.repository.list(Math.min(Math.max(limit, 1), 500), before).map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actorId ? { id: e.actorId, name: e.actorName } : null,
      action: e.action,
      targetType: e.targetType,
      targetId: e.targetId,
      details: e.details,
      ip: e.ip,
    }));
  }
}
