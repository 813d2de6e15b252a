/**
 * The portal's French words (issue 13), kept together so they can be reworded or translated.
 * Labels of categories, structure types and territories come from the domain and the reference
 * data; theme labels from each espace.
 */

export const PORTAL_NAME = 'Pratiques émergentes du travail social';
export const PORTAL_TAGLINE =
  'Haut Conseil du travail social — les pratiques repérées, pour qu’elles essaiment';

/** Labels of the metadata block of a published practice, in the order shown. */
export const metadataLabels = {
  territoire: 'Territoire',
  structure: 'Structure',
  structureType: 'Type de structure',
  public: 'Public',
  anneeDemarrage: 'Année de démarrage',
  themes: 'Thèmes',
  categorie: 'Catégorie',
  contact: 'Qui contacter',
} as const;

export const kindLabels = { fiche: 'Fiche pratique', synthese: 'Document de synthèse' } as const;

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});

/** « 3 mars 2026 », « 1er avril 2026 » (Paris time), from an ISO date. */
export function frenchDate(iso: string): string {
  const parts = dateFormat.formatToParts(new Date(iso));
  return parts.map((p) => (p.type === 'day' && p.value === '1' ? '1er' : p.value)).join('');
}

/** « Version 2 du 3 mars 2026 ». */
export const versionLabel = (number: number, publishedAt: string): string =>
  `Version ${number} du ${frenchDate(publishedAt)}`;

/** « 1 pratique », « 12 pratiques », « aucune pratique ». */
export function practices(count: number): string {
  if (count === 0) return 'aucune pratique';
  return `${count.toLocaleString('fr-FR')} pratique${count > 1 ? 's' : ''}`;
}

/**
 * « 1 reprise signalée », « 3 reprises signalées » (approved reuse signals, issue 13); « aucune
 * reprise signalée » for 0.
 */
export function reuses(count: number): string {
  if (count === 0) return 'aucune reprise signalée';
  const s = count > 1 ? 's' : '';
  return `${count.toLocaleString('fr-FR')} reprise${s} signalée${s}`;
}

/** « 1 pratique trouvée », « 3 pratiques trouvées », « Aucune pratique trouvée ». */
export function found(count: number): string {
  if (count === 0) return 'Aucune pratique trouvée';
  return `${practices(count)} trouvée${count > 1 ? 's' : ''}`;
}
