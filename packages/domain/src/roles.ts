/** Roles a person can hold in an espace de travail (a working group). */
export const espaceRoles = ['animateur', 'rapporteur', 'membre'] as const;
export type EspaceRole = (typeof espaceRoles)[number];

/** How each role is called in the interface. */
export const roleLabels: Record<EspaceRole, string> = {
  animateur: 'Animateur ou animatrice',
  rapporteur: 'Rapporteur ou rapporteuse',
  membre: 'Membre',
};

export const isEspaceRole = (value: unknown): value is EspaceRole =>
  typeof value === 'string' && (espaceRoles as readonly string[]).includes(value);
