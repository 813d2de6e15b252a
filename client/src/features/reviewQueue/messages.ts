import type { ReviewEvent } from '@essaim/domain';

const plural = (n: number, one: string, many: string) => (n < 2 ? one : many);

/**
 * Every sentence of the « Relecture » dashboard (issue 12), in one place so it can be translated.
 * State and button labels come from packages/domain (`sectionReviewStateLabels`,
 * `reviewEventLabels`, `documentReviewStateLabels`, `staleApprovalLabel`).
 */
export const reviewQueueMessages = {
  pageTitle: 'Relecture',
  documentTitle: (espace: string) => `Relecture — ${espace}`,
  lead: 'Les sections qui attendent une décision ou une reprise, et l’avancement de chaque document.',
  loading: 'Chargement de la relecture…',
  loadErrorTitle: 'Impossible d’afficher la relecture',
  retry: 'Réessayer',
  forbiddenTitle: 'Relecture réservée',
  forbiddenCode: 'Erreur 403',
  forbiddenLead:
    'Le tableau de relecture est réservé à l’animateur de l’espace et aux rapporteurs. Les membres voient l’état de relecture de chaque document dans le catalogue.',
  home: 'Retour au catalogue',
  openCatalogueLink: 'Tableau de relecture',

  // Filters.
  filtersTitle: 'Filtrer la relecture',
  documentFilter: 'Document',
  allDocuments: 'Tous les documents',
  themeFilter: 'Thème',
  allThemes: 'Tous les thèmes',
  archivedThemesGroup: 'Thèmes archivés',
  resetFilters: 'Réinitialiser les filtres',

  // The queue.
  queueTitle: 'Sections à traiter',
  queueCount: (n: number) =>
    n === 0 ? 'Aucune section à traiter' : `${n} ${plural(n, 'section à traiter', 'sections à traiter')}`,
  queueEmpty: 'Aucune section n’attend de relecture ici pour le moment.',
  queueEmptyFiltered: 'Aucune section à traiter pour ces filtres.',
  groupSubmitted: 'En attente de décision',
  groupSubmittedHint: 'Sections soumises, de la plus ancienne à la plus récente.',
  groupStale: 'Modifiées depuis leur approbation',
  groupStaleHint: 'Leur approbation ne vaut plus : le texte a changé depuis.',
  groupChanges: 'Modifications demandées',
  groupChangesHint: 'Sections à reprendre, avec la demande de l’animateur.',
  untitledSection: 'Section sans titre',
  inDocument: 'Document : ',
  submittedBy: (who: string, when: string) => `Soumise par ${who} le ${when}`,
  submittedAt: (when: string) => `Soumise le ${when}`,
  requestedBy: (who: string, when: string) => `Modifications demandées par ${who} le ${when}`,
  requestedAt: (when: string) => `Modifications demandées le ${when}`,
  approvedBy: (who: string, when: string) => `Approuvée par ${who} le ${when}, modifiée depuis`,
  approvedAt: (when: string) => `Approuvée le ${when}, modifiée depuis`,
  submitMessage: 'Message de soumission',
  requestMessage: 'Demande de l’animateur',
  approvalMessage: 'Message d’approbation',
  openSection: 'Ouvrir la section',
  openSectionLabel: (section: string, document: string) =>
    `Ouvrir la section « ${section} » de « ${document} » dans l’éditeur`,

  // What changed since the approval.
  changesTitle: 'Modifications depuis la dernière approbation',
  firstSubmission:
    'Première soumission : aucune approbation précédente à comparer. Ouvrez la section pour la lire avant de décider.',
  neverApproved: 'Jamais approuvée : aucun texte approuvé à comparer.',
  changesLoading: 'Chargement des modifications…',
  changesFailed: 'Les modifications n’ont pas pu être chargées.',
  noChanges: 'Aucune modification du texte depuis l’approbation.',
  sectionRemoved: 'Cette section a été supprimée du document depuis son approbation.',
  changeCount: (n: number) => `${n} ${plural(n, 'changement', 'changements')}`,

  // Decisions.
  actionsLabel: (section: string) => `Décisions sur la section « ${section} »`,
  actionLabel: (label: string, section: string, document: string) =>
    `${label} la section « ${section} » de « ${document} »`,
  waitingForText: 'Les boutons de décision apparaissent une fois le texte actuel chargé.',
  requestField: 'Modifications demandées',
  requestHint: 'Obligatoire. Votre message ouvre une discussion sur la section et prévient ses rapporteurs.',
  requestSend: 'Envoyer la demande',
  requestCancel: 'Annuler',
  sending: 'Envoi…',
  decisionFailedTitle: 'La décision n’a pas été enregistrée',
  refusedGone: (section: string, document: string, reason: string) =>
    `« ${section} » (${document}) : ${reason} Elle n’est plus dans la liste.`,
  done: (event: ReviewEvent, section: string, document: string) => {
    const what = `La section « ${section} » de « ${document} »`;
    switch (event) {
      case 'approve':
        return `${what} est approuvée.`;
      case 'request_changes':
        return `${what} : modifications demandées. Ses rapporteurs sont prévenus.`;
      case 'submit':
        return `${what} est soumise à l’animateur.`;
      case 'lock':
        return `${what} est verrouillée.`;
      case 'unlock':
        return `${what} est déverrouillée.`;
    }
  },

  // Progress of the documents.
  progressTitle: 'Avancement des documents',
  progressEmpty: 'Aucun document à suivre pour ces filtres.',
  colDocument: 'Document',
  colState: 'État de relecture',
  colProgress: 'Avancement',
  colActions: 'Actions',
  progress: (approved: number, total: number) =>
    `${approved} / ${total} ${plural(total, 'section approuvée', 'sections approuvées')}`,
  progressLabel: (title: string) => `Avancement de la relecture de « ${title} »`,
  journalCsv: 'Journal de relecture (CSV)',
  journalCsvLabel: (title: string) => `Journal de relecture (CSV) de « ${title} », à télécharger`,
  filterOnDocument: 'Voir les sections à traiter',
  filterOnDocumentLabel: (title: string) => `Voir les sections à traiter de « ${title} »`,
} as const;
