import { can, forbidden, notFound, type Actor } from '@essaim/domain';
import type { AdminUserDto } from '@essaim/protocol';
import type { AccountRepository } from '../storage/accountRepository.js';
import type { AccessEvents } from './accessEvents.js';
import type { AuditService } from './auditService.js';
import type { AuthService } from './authService.js';
import { colorFor } from './crypto.js';

/** Account administration: list, disable, enable, reset links. Administrators only. */
export class UserService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly auth: AuthService,
    private readonly audit: AuditService,
    private readonly events: AccessEvents,
    private readonly now: () => number = Date.now,
  ) {}

  private requireAdmin(actor: Actor): string {
    if (actor.kind !== 'user' || !can(actor, 'user.manage', { type: 'instance' })) {
      throw forbidden('Réservé à l’administrateur.');
    }
    return actor.userId;
  }

  list(actor: Actor): AdminUserDto[] {
    this.requireAdmin(actor);
    return this.accounts.listUsers().map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      isAdmin: u.isAdmin,
      disabled: u.disabledAt !== null,
      color: colorFor(u.id),
      createdAt: u.createdAt,
    }));
  }

  setDisabled(actor: Actor, userId: string, disabled: boolean): void {
    const adminId = this.requireAdmin(actor);
    if (!this.accounts.findUserById(userId)) throw notFound('Ce compte n’existe pas.');
    if (disabled && userId === adminId) throw forbidden('Vous ne pouvez pas désactiver votre propre compte.');
    this.accounts.setDisabled(userId, disabled ? new Date(this.now()).toISOString() : null);
    const revoked = disabled ? this.accounts.revokeUserSessions(userId, this.now()) : [];
    this.audit.record({
      actorId: adminId,
      action: disabled ? 'user.disable' : 'user.enable',
      target: { type: 'user', id: userId },
    });
    this.events.sessionsRevoked(revoked);
    this.events.userChanged(userId);
  }

  /** A password reset link for someone who forgot theirs, to copy and hand over. */
  resetLink(actor: Actor, userId: string, baseUrl: string): { link: string; expiresAt: string } {
    const adminId = this.requireAdmin(actor);
    if (!this.accounts.findUserById(userId)) throw notFound('Ce compte n’existe pas.');
    const token = this.auth.createReset(userId, adminId);
    return {
      link: `${baseUrl}/reinitialisation/${token}`,
      expiresAt: new Date(this.now() + 24 * 3600 * 1000).toISOString(),
    };
  }
}
