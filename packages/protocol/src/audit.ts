import type { ReviewEvent } from '@essaim/domain';

/**
 * Security-relevant events of the audit log (`GET /api/audit`, `AuditEntryDto.action`). Names are
 * stable identifiers; the interface translates each one (client/src/features/admin/messages.ts,
 * a `Record<AuditAction, string>`: an action added here without its French name does not compile).
 */
export type AuditAction =
  | 'setup'
  | 'login.success'
  | 'login.failure'
  | 'login.rate_limited'
  /** « Mot de passe oublié » asked too often for one address or one account (aggregated). */
  | 'password_reset.rate_limited'
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
  /** A named version recorded, a version restored (issue 11). */
  | 'version.name'
  | 'version.restore'
  | 'theme.create'
  | 'theme.update'
  | 'file.upload'
  /** An upload refused because a document's or an account's quota is reached (aggregated). */
  | 'file.quota_reached'
  /** Uploaded images that no document shows any more, removed after the grace period. */
  | 'file.orphans_removed'
  /** Parts of a stored document could not be read when it was loaded (moved to quarantine). */
  | 'document.damaged'
  | 'document.repair'
  /** A writer's update was refused as malformed or invalid (issue 9): worth an administrator's look. */
  | 'document.update_refused'
  /** The animateur deleted someone else's comment, or a whole thread (issue 10). */
  | 'comment.moderate'
  | 'thread.moderate'
  /** A review step on a section (issue 12): submit, approve, request_changes, lock, unlock. */
  | `review.${ReviewEvent}`
  /** A change inside a locked section, reverted by the server (issue 12). */
  | 'review.locked_change_reverted'
  /** A document published, unpublished (hidden from the portal) or republished (issue 13). */
  | 'publication.publish'
  | 'publication.unpublish'
  | 'publication.republish'
  /** A reuse signal approved or refused by the animateur (issue 13). */
  | 'signal.moderate';
