import { randomUUID } from 'node:crypto';
import {
  type Actor,
  can,
  conflict,
  defaultThemes,
  DomainError,
  type EspaceRole,
  forbidden,
  gone,
  notFound,
} from '@essaim/domain';
import type { EspaceDetailDto, EspaceDto, InvitationDto, InvitationInfoDto, UserDto } from '@essaim/protocol';
import type { UserRecord } from '../storage/accountRepository.js';
import type { Db } from '../storage/db.js';
import type { DocumentRepository } from '../storage/documentRepository.js';
import type { EspaceRepository, InvitationRecord } from '../storage/espaceRepository.js';
import type { AccessEvents } from './accessEvents.js';
import type { Actors } from './actors.js';
import type { AuditService } from './auditService.js';
import type { AuthService, RequestOrigin } from './authService.js';
import { randomToken, tokenHash } from './crypto.js';
import type { Mailer } from './mailer.js';

const INVITATION_LIFETIME_MS = 14 * 24 * 3600 * 1000;

const userIdOf = (actor: Actor): string | null => (actor.kind === 'user' ? actor.userId : null);

/** Roles that write documents, and so hold assignments. */
const writes = (role: EspaceRole): boolean => role === 'rapporteur' || role === 'animateur';

const ALREADY_ACCEPTED = 'Cette invitation a déjà été utilisée. Connectez-vous avec votre compte.';

const invitationDto = (i: InvitationRecord, link?: string): InvitationDto => ({
  id: i.id,
  email: i.email,
  role: i.role,
  createdAt: new Date(i.createdAt).toISOString(),
  expiresAt: new Date(i.expiresAt).toISOString(),
  ...(link ? { link } : {}),
});

/** Espaces de travail: creation, members and their roles, invitations. */
export class EspaceService {
  constructor(
    private readonly db: Db,
    private readonly espaces: EspaceRepository,
    private readonly documents: DocumentRepository,
    private readonly auth: AuthService,
    private readonly actors: Actors,
    private readonly audit: AuditService,
    private readonly events: AccessEvents,
    private readonly mailer: Mailer,
    private readonly now: () => number = Date.now,
  ) {}

  list(actor: Actor): EspaceDto[] {
    if (actor.kind !== 'user') return [];
    if (can(actor, 'espace.listAll', { type: 'instance' })) {
      return this.espaces
        .listAll()
        .map((e) => ({ id: e.id, name: e.name, role: actor.roles.get(e.id) ?? null }));
    }
    return this.espaces.listForUser(actor.userId).map((e) => ({ id: e.id, name: e.name, role: e.role }));
  }

  /** `actor` null: an operator at the command line. */
  create(actor: Actor | null, name: string): EspaceDto {
    if (actor && !can(actor, 'espace.create', { type: 'instance' })) throw forbidden();
    const espace = { id: randomUUID(), name, createdAt: new Date(this.now()).toISOString() };
    // Every working group starts with the five themes of the mandate; the animateur edits them.
    this.espaces.insert(espace, defaultThemes);
    this.audit.record({
      actorId: actor ? userIdOf(actor) : null,
      action: 'espace.create',
      target: { type: 'espace', id: espace.id },
      details: { name },
    });
    return { id: espace.id, name: espace.name, role: null };
  }

  /** Whether an espace with this id exists (deleted ones do not). No access check. */
  exists(espaceId: string): boolean {
    return this.espaces.findById(espaceId) !== undefined;
  }

  detail(actor: Actor, espaceId: string): EspaceDetailDto {
    const espace = this.espaces.findById(espaceId);
    if (!espace) throw notFound('Cet espace de travail n’existe pas.');
    const target = { type: 'espace', espaceId } as const;
    if (!can(actor, 'espace.read', target))
      throw forbidden('Vous n’êtes pas membre de cet espace de travail.');
    const manageMembers = can(actor, 'espace.manageMembers', target);
    return {
      id: espace.id,
      name: espace.name,
      role: actor.kind === 'user' ? (actor.roles.get(espaceId) ?? null) : null,
      members: this.espaces.members(espaceId),
      invitations: manageMembers
        ? this.espaces.pendingInvitations(espaceId, this.now()).map((i) => invitationDto(i))
        : [],
      permissions: {
        manageMembers,
        createDocument: can(actor, 'document.create', target),
        assign: manageMembers,
        manageThemes: can(actor, 'espace.manageThemes', target),
        readReviewQueue: can(actor, 'review.readQueue', target),
        moderateSignals: can(actor, 'portal.moderateSignals', target),
      },
    };
  }

  private requireManager(actor: Actor, espaceId: string): void {
    if (!this.espaces.findById(espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'espace.manageMembers', { type: 'espace', espaceId })) {
      throw forbidden('Seuls l’animateur ou l’administrateur gèrent les membres de cet espace.');
    }
  }

  /**
   * Changes a member's role, or adds a member: from the command line (`actor` null) or by an
   * administrator; an animateur adds people by invitation only (`espace.addMember`, issue 15).
   * An espace always keeps one animateur. A person who can no longer write (made membre) keeps
   * her document assignments, suspended; made rapporteur or animateur again, she gets them back.
   * Errors: 404 unknown espace or account, 403 not allowed, 409 last animateur.
   */
  setRole(actor: Actor | null, espaceId: string, userId: string, role: EspaceRole): void {
    if (actor) this.requireManager(actor, espaceId);
    else if (!this.espaces.findById(espaceId)) throw notFound('Cet espace de travail n’existe pas.');
    if (
      actor &&
      !this.espaces.roleOf(espaceId, userId) &&
      !can(actor, 'espace.addMember', { type: 'espace', espaceId })
    ) {
      throw forbidden(
        'Cette personne n’est pas membre de l’espace : invitez-la, elle rejoindra l’espace en acceptant l’invitation.',
      );
    }
    const change = this.db
      .transaction(() => {
        // Read again inside the transaction: two managers may act at the same moment.
        const previous = this.espaces.roleOf(espaceId, userId);
        if (previous === role) return null;
        if (!previous && !this.auth.findUserById(userId)) throw notFound('Ce compte n’existe pas.');
        if (previous === 'animateur' && this.animateurCount(espaceId) <= 1) {
          throw conflict('Un espace de travail garde au moins un animateur : nommez-en un autre d’abord.');
        }
        const at = new Date(this.now()).toISOString();
        this.espaces.setRole(espaceId, userId, role, at);
        // Assignments only mean something for those who write: set aside, not deleted.
        const suspended =
          role === 'membre' && previous && writes(previous)
            ? this.espaces.suspendAssignments(espaceId, userId, at).length
            : 0;
        const restored =
          writes(role) && previous === 'membre'
            ? this.espaces.restoreAssignments(espaceId, userId).length
            : 0;
        return { previous, suspended, restored };
      })
      .immediate();
    if (!change) return;
    this.audit.record({
      actorId: actor ? userIdOf(actor) : null,
      action: 'member.role',
      target: { type: 'user', id: userId },
      details: {
        espaceId,
        from: change.previous ?? null,
        to: role,
        ...(change.suspended ? { suspendedAssignments: change.suspended } : {}),
        ...(change.restored ? { restoredAssignments: change.restored } : {}),
      },
    });
    this.events.userChanged(userId);
  }

  removeMember(actor: Actor, espaceId: string, userId: string): void {
    this.requireManager(actor, espaceId);
    const previous = this.espaces.roleOf(espaceId, userId);
    if (!previous) throw notFound('Cette personne n’est pas membre de l’espace.');
    this.db
      .transaction(() => {
        if (previous === 'animateur' && this.animateurCount(espaceId) <= 1) {
          throw conflict('Un espace de travail garde au moins un animateur : nommez-en un autre d’abord.');
        }
        this.documents.unassignAllInEspace(espaceId, userId);
        this.espaces.dropSuspendedAssignments(espaceId, userId);
        this.espaces.removeMember(espaceId, userId);
      })
      .immediate();
    this.audit.record({
      actorId: userIdOf(actor),
      action: 'member.remove',
      target: { type: 'user', id: userId },
      details: { espaceId, role: previous },
    });
    this.events.userChanged(userId);
  }

  private animateurCount(espaceId: string): number {
    return this.espaces.members(espaceId).filter((m) => m.role === 'animateur' && !m.disabled).length;
  }

  async invite(
    actor: Actor,
    espaceId: string,
    input: { email: string; role: EspaceRole },
    baseUrl: string,
  ): Promise<InvitationDto> {
    this.requireManager(actor, espaceId);
    const existing = this.auth.findUserByEmail(input.email);
    if (existing && this.espaces.roleOf(espaceId, existing.id)) {
      throw conflict('Cette personne est déjà membre de l’espace.');
    }
    const token = randomToken();
    const now = this.now();
    const invitation: InvitationRecord = {
      id: randomUUID(),
      espaceId,
      email: input.email,
      role: input.role,
      createdBy: userIdOf(actor),
      createdAt: now,
      expiresAt: now + INVITATION_LIFETIME_MS,
      acceptedAt: null,
      revokedAt: null,
    };
    this.db
      .transaction(() => {
        // Inviting the same address again replaces the pending invitation: one live link per person.
        for (const pending of this.espaces.pendingInvitations(espaceId, now)) {
          if (pending.email === input.email) this.espaces.revokeInvitation(pending.id, now);
        }
        this.espaces.insertInvitation({ ...invitation, tokenHash: tokenHash(token) });
      })
      .immediate();
    this.audit.record({
      actorId: userIdOf(actor),
      action: 'invitation.create',
      target: { type: 'espace', id: espaceId },
      details: { email: input.email, role: input.role },
    });
    const link = `${baseUrl}/invitation/${token}`;
    const espace = this.espaces.findById(espaceId);
    await this.mailer.send({
      to: input.email,
      subject: `Invitation à rejoindre « ${espace?.name ?? 'Essaim'} » sur Essaim`,
      text: `Bonjour,\n\nVous êtes invité·e à rejoindre l’espace de travail « ${espace?.name ?? ''} » sur Essaim.\nPour accepter, ouvrez ce lien (valable 14 jours) :\n${link}\n`,
    });
    return invitationDto(invitation, link);
  }

  revokeInvitation(actor: Actor, espaceId: string, invitationId: string): void {
    this.requireManager(actor, espaceId);
    const invitation = this.espaces.findInvitation(invitationId);
    if (!invitation || invitation.espaceId !== espaceId) throw notFound('Cette invitation n’existe pas.');
    this.espaces.revokeInvitation(invitationId, this.now());
    this.audit.record({
      actorId: userIdOf(actor),
      action: 'invitation.revoke',
      target: { type: 'espace', id: espaceId },
      details: { email: invitation.email },
    });
  }

  /** What an invitation link offers, for the acceptance page. */
  invitationInfo(token: string): InvitationInfoDto {
    const invitation = this.validInvitation(token);
    return {
      espaceId: invitation.espaceId,
      espaceName: this.espaces.findById(invitation.espaceId)?.name ?? '',
      email: invitation.email,
      role: invitation.role,
      accountExists: this.auth.findUserByEmail(invitation.email) !== undefined,
    };
  }

  /**
   * Accepts an invitation. A new person chooses a name and a password; somebody who already has
   * an account must be logged in as the invited address. The password is hashed first, then the
   * invitation is checked again, the account created and the membership set in one transaction:
   * of several acceptances at the same moment, one succeeds and the others get a 409.
   */
  async accept(
    token: string,
    input: { name: string; password: string } | null,
    loggedIn: { userId: string; email: string } | null,
    origin: RequestOrigin,
  ): Promise<{ sessionToken: string | null; user: UserDto; espaceId: string }> {
    const invitation = this.validInvitation(token);
    const existing = this.auth.findUserByEmail(invitation.email);
    let created: UserRecord | null = null;
    if (existing) {
      if (!loggedIn || loggedIn.userId !== existing.id) {
        throw new DomainError(
          'unauthorized',
          `Un compte existe déjà pour ${invitation.email} : connectez-vous avec ce compte, puis ouvrez à nouveau le lien.`,
        );
      }
    } else {
      if (!input) throw new DomainError('invalid_input', 'Choisissez un nom et un mot de passe.');
      created = this.auth.newUser({
        email: invitation.email,
        name: input.name,
        passwordHash: await this.auth.hash(input.password, origin.ip ?? 'inconnue'),
      });
    }
    const userId = existing?.id ?? (created as UserRecord).id;
    this.db
      .transaction(() => {
        const fresh = this.espaces.findInvitation(invitation.id);
        if (fresh?.revokedAt !== null) throw gone('Cette invitation a été annulée par l’animateur.');
        // Valid when this request began: another acceptance got there first, just now.
        if (fresh.acceptedAt !== null) throw conflict(ALREADY_ACCEPTED);
        if (created) this.auth.insertUser(created, null);
        this.espaces.markInvitationAccepted(invitation.id, this.now());
        this.espaces.setRole(
          invitation.espaceId,
          userId,
          invitation.role,
          new Date(this.now()).toISOString(),
        );
      })
      .immediate();
    this.audit.record({
      actorId: userId,
      action: 'invitation.accept',
      target: { type: 'espace', id: invitation.espaceId },
      details: { role: invitation.role },
      ip: origin.ip,
    });
    this.events.userChanged(userId);
    const sessionToken = created ? this.auth.openSessionFor(created, origin) : null;
    const user = this.auth.findUserByEmail(invitation.email);
    if (!user) throw notFound();
    return { sessionToken, user: this.actors.userDto(user), espaceId: invitation.espaceId };
  }

  private validInvitation(token: string): InvitationRecord {
    const invitation = this.espaces.findInvitationByTokenHash(tokenHash(token));
    if (!invitation) throw notFound('Cette invitation n’existe pas. Vérifiez que le lien est complet.');
    if (invitation.acceptedAt !== null) throw gone(ALREADY_ACCEPTED);
    if (invitation.revokedAt !== null) throw gone('Cette invitation a été annulée par l’animateur.');
    if (invitation.expiresAt <= this.now())
      throw gone('Cette invitation a expiré. Demandez-en une nouvelle à l’animateur.');
    return invitation;
  }
}
