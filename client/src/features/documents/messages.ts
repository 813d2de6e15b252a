import type { DocumentKind } from '@essaim/protocol';

/** Every sentence of the document list and creation form, in one place so it can be translated. */
export const documentsMessages = {
  pageTitle: 'Fiches et synthèses',
  lead: 'Les fiches pratiques et les synthèses du groupe de travail : rédigez-les à plusieurs, en même temps, même hors connexion.',
  listTitle: 'Documents',
  listCount: (n: number) => (n === 0 ? 'Aucun document' : n === 1 ? '1 document' : `${n} documents`),
  loading: 'Chargement des documents…',
  empty: 'Aucun document pour le moment. Créez la première fiche avec le formulaire « Nouveau document ».',
  emptyReadOnly: 'Aucun document pour le moment.',
  peopleLink: 'Personnes et attributions',
  readOnlyBadge: 'Lecture seule',
  assignees: (names: string[]) => `Rédaction : ${names.join(', ')}`,
  noAssignees: 'Aucun rapporteur attribué',
  loadErrorTitle: 'Impossible d’afficher les documents',
  retry: 'Réessayer',
  updatedAt: (date: string) => `Modifié le ${date}`,
  kindLabel: { fiche: 'Fiche pratique', synthese: 'Synthèse' } satisfies Record<DocumentKind, string>,
  createTitle: 'Nouveau document',
  createIntro: 'Tous les champs sont obligatoires.',
  createIntroRapporteur: 'Vous en serez le rapporteur : le document vous est attribué.',
  titleLabel: 'Titre',
  titleHint: 'Par exemple : Conférences familiales en Ardèche',
  kindFieldLabel: 'Type de document',
  createSubmit: 'Créer le document',
  creating: 'Création en cours…',
  createErrorTitle: 'Le document n’a pas été créé',
} as const;

export { formatDate } from '../../shared/dates.js';
