import { espaceRoles, isEspaceRole, roleLabels, type EspaceRole } from '@essaim/domain';

export { isEspaceRole, type EspaceRole };

/** The roles in the order they are offered (most rights first). */
export const ESPACE_ROLES: readonly EspaceRole[] = espaceRoles;

/** How each role is called (one source: the domain package). */
export const roleLabel = roleLabels;

/** What each role allows, shown where roles are chosen. */
export const roleDescription = {
  animateur:
    'gère les personnes et les invitations, attribue les documents aux rapporteurs et modifie tous les documents',
  rapporteur: 'crée des documents et rédige ceux qui lui sont attribués ; lit les autres',
  membre: 'lit les documents de l’espace',
} as const satisfies Record<EspaceRole, string>;
