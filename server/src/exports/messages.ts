/**
 * The French words of exported documents (issue 14), kept together so they can be reworded or
 * translated. Metadata labels come from `@essaim/editor` (the same as the history's compare).
 */

const dateFormat = new Intl.DateTimeFormat('fr-FR', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/Paris',
});
const timeFormat = new Intl.DateTimeFormat('fr-FR', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Paris',
});

/** « 3 mars 2026 », « 1er avril 2026 » (Paris time). */
export function frenchDate(date: Date): string {
  return dateFormat
    .formatToParts(date)
    .map((p) => (p.type === 'day' && p.value === '1' ? '1er' : p.value))
    .join('');
}

/** « Document de travail — non publié », the words the issue asks for on every page of a draft. */
export const DRAFT_MARK = 'Document de travail — non publié';

/**
 * « Document de travail — non publié (état du 3 mars 2026 à 14:05) », or for a version of the
 * history « … (version 14 « Avant relecture » du 3 mars 2026 à 14:05) ».
 */
export const draftNotice = (date: Date, version?: { number: number; label: string | null }): string => {
  const when = `du ${frenchDate(date)} à ${timeFormat.format(date)}`;
  if (!version) return `${DRAFT_MARK} (état ${when})`;
  const label = version.label ? ` « ${version.label} »` : '';
  return `${DRAFT_MARK} (version ${version.number}${label} ${when})`;
};

/** « Publication n° 2 du 3 mars 2026 ». */
export const publicationNotice = (number: number, date: Date): string =>
  `Publication n° ${number} du ${frenchDate(date)}`;

export const exportMessages = {
  contents: 'Sommaire',
  notes: 'Notes',
  untitledSection: 'Section sans titre',
  untitledDocument: 'Document sans titre',
  /** Where an image could not be read: its alternative text stays. */
  missingImage: (alt: string) => (alt ? `[Image non disponible : ${alt}]` : '[Image non disponible]'),
  /** An image without alternative text, as its caption. */
  imageWithoutAlt: 'Image sans description',
  page: (current: number, total: number) => `Page ${current} sur ${total}`,
  metadataCaption: 'Informations sur la pratique',
  producedBy: 'Essaim — Haut Conseil du travail social',
} as const;
