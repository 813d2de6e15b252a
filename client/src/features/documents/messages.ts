import type { DocumentKind } from '@essaim/protocol';

/** Every sentence of the document list and creation form, in one place so it can be translated. */
export const documentsMessages = {
  pageTitle: 'Fiches et synthèses',
  lead: 'Les documents de travail du groupe sur les pratiques émergentes : rédigez-les à plusieurs, en même temps, même hors connexion.',
  listTitle: 'Documents',
  listCount: (n: number) => (n === 0 ? 'Aucun document' : n === 1 ? '1 document' : `${n} documents`),
  loading: 'Chargement des documents…',
  empty: 'Aucun document pour le moment. Créez la première fiche avec le formulaire « Nouveau document ».',
  loadErrorTitle: 'Impossible d’afficher les documents',
  retry: 'Réessayer',
  updatedAt: (date: string) => `Modifié le ${date}`,
  kindLabel: { fiche: 'Fiche pratique', synthese: 'Synthèse' } satisfies Record<DocumentKind, string>,
  createTitle: 'Nouveau document',
  createIntro: 'Tous les champs sont obligatoires.',
  titleLabel: 'Titre',
  titleHint: 'Par exemple : Conférences familiales en Ardèche',
  kindFieldLabel: 'Type de document',
  createSubmit: 'Créer le document',
  creating: 'Création en cours…',
  createErrorTitle: 'Le document n’a pas été créé',
} as const;

const dateFormat = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });

/** « 22 novembre 2025 à 08:03 », or the raw text when the date cannot be read. */
export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}
