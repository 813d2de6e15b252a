import { z } from 'zod/mini';
import { emailAddress, givenPassword, newPassword, singleLineText } from './inputRules.js';

const email = emailAddress;
const password = newPassword;

/** A person's name (setup, invitation): single-line text ({@link singleLineText}), 1 to 100 characters. */
const personName = singleLineText({ subject: 'Le nom', max: 100, notText: 'Le nom est obligatoire.' });

/** An espace's name: single-line text ({@link singleLineText}), 1 to 120 characters. */
const espaceName = singleLineText({
  subject: 'Le nom de l’espace',
  max: 120,
  notText: 'Le nom de l’espace est obligatoire.',
});

export const roleSchema = z.enum(['animateur', 'rapporteur', 'membre'], {
  error: 'Le rôle doit être « animateur », « rapporteur » ou « membre ».',
});

export const loginInput = z.object({
  email,
  // At login, any password up to the limit is checked against the hash: no other rule would help.
  password: givenPassword,
});
export const setupInput = z.object({
  email,
  name: personName,
  password,
  espaceName,
});
export const createEspaceInput = z.object({ name: espaceName });
export const invitationInput = z.object({ email, role: roleSchema });
export const acceptInvitationInput = z.object({ name: personName, password });
export const newPasswordInput = z.object({ password });
export const forgotPasswordInput = z.object({ email });
export const setRoleInput = z.object({ role: roleSchema });
export const assignmentInput = z.object({
  userId: z
    .string({ error: 'La personne est obligatoire.' })
    .check(
      z.minLength(1, { error: 'La personne est obligatoire.' }),
      z.maxLength(100, { error: 'Identifiant de personne trop long.' }),
    ),
});

export interface UserDto {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  /** Stable caret and avatar colour derived from the id. */
  color: string;
  espaces: { id: string; name: string; role: 'animateur' | 'rapporteur' | 'membre' }[];
}

export interface MeDto {
  user: UserDto | null;
  /** True while no account exists: the app shows the first-run setup. */
  setupNeeded: boolean;
  /** True while the instance runs with demonstration data. */
  demo: boolean;
  /** The demonstration accounts and their passwords, listed on the login page (empty otherwise). */
  demoAccounts: DemoAccountDto[];
  /** What the collaborative server accepts, so the editor refuses too large a paste before sending it. */
  collabLimits: CollabLimitsDto;
}

/** Sizes the collaborative server enforces (`MAX_MESSAGE_BYTES`, `MAX_DOCUMENT_BYTES`), in bytes. */
export interface CollabLimitsDto {
  /** Largest websocket message (one update) accepted; a larger one closes the socket (4413). */
  messageBytes: number;
  /** Largest encoded document state; an update taking the document past it is refused. */
  documentBytes: number;
}

export interface DemoAccountDto {
  email: string;
  password: string;
  name: string;
  /** What the account can do, in French (« Animatrice du groupe », « Administrateur »...). */
  role: string;
}

export interface MemberDto {
  userId: string;
  name: string;
  email: string;
  role: 'animateur' | 'rapporteur' | 'membre';
  disabled: boolean;
  since: string;
}

export interface InvitationDto {
  id: string;
  email: string;
  role: 'animateur' | 'rapporteur' | 'membre';
  createdAt: string;
  expiresAt: string;
  /** Present only in the answer that creates the invitation: the link to copy. */
  link?: string;
}

export interface EspaceDto {
  id: string;
  name: string;
  /** The caller's role, if a member. */
  role: 'animateur' | 'rapporteur' | 'membre' | null;
}

export interface EspaceDetailDto extends EspaceDto {
  members: MemberDto[];
  invitations: InvitationDto[];
  /** What the caller may do here, so the interface shows only possible actions. */
  permissions: {
    manageMembers: boolean;
    createDocument: boolean;
    assign: boolean;
    manageThemes: boolean;
    /** Sees the « Relecture » dashboard (`GET /api/espaces/:id/review-queue`, issue 12). */
    readReviewQueue: boolean;
    /**
     * Moderates the reuse signals left on the portal (`GET /api/espaces/:id/signals`,
     * `POST /api/signals/:id/approve|reject`, issue 13): `can(actor, 'portal.moderateSignals')`.
     */
    moderateSignals: boolean;
  };
}

export interface AuditEntryDto {
  id: number;
  at: string;
  actor: { id: string; name: string | null } | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Record<string, unknown> | null;
  ip: string | null;
}

/** What an invitation link offers, shown before accepting it. */
export interface InvitationInfoDto {
  espaceId: string;
  espaceName: string;
  email: string;
  role: 'animateur' | 'rapporteur' | 'membre';
  /** An account already uses this address: the person logs in instead of creating one. */
  accountExists: boolean;
}

/** An account as the administration page lists it. */
export interface AdminUserDto {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  disabled: boolean;
  color: string;
  createdAt: string;
}
