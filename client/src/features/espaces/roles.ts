import type { MemberDto } from '@essaim/protocol';

/** A role in an espace de travail, as the API names it. */
export type EspaceRole = MemberDto['role'];

/** The roles in the order they are offered (most rights first). */
export const ESPACE_ROLES: readonly EspaceRole[] = ['animateur', 'rapporteur', 'membre'];

/**
 * How each role is called. The same words as `roleLabels` in `@essaim/domain` (checked by
 * roles.test.ts), kept here so the client bundle does not depend on the domain package.
 */
export const roleLabel = {
  animateur: 'Animateur ou animatrice',
  rapporteur: 'Rapporteur ou rapporteuse',
  membre: 'Membre',
} as const satisfies Record<EspaceRole, string>;

/** What each role allows, shown where roles are chosen. */
export const roleDescription = {
  animateur:
    'gère les personnes et les invitations, attribue les documents aux rapporteurs et modifie tous les documents',
  rapporteur: 'crée des documents et rédige ceux qui lui sont attribués ; lit les autres',
  membre: 'lit les documents de l’espace',
} as const satisfies Record<EspaceRole, string>;

export const isEspaceRole = (value: string): value is EspaceRole =>
  (ESPACE_ROLES as readonly string[]).includes(value);
