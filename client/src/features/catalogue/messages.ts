import { FICHE_PAGE_TARGET } from '@essaim/domain';
import type { CatalogueSort } from '@essaim/protocol';
import type { SortOrder } from './filters.js';

const plural = (n: number, one: string, many: string) => (n < 2 ? one : many);

/** « 3 468 »: French digit groups, joined by a narrow no-break space (never cut at a line's end). */
const number = (n: number): string => frenchCount.format(n);
const frenchCount = new Intl.NumberFormat('fr-FR');

/** Every sentence of the catalogue (the espace's home page) and its activity panel. */
export const catalogueMessages = {
  pageTitle: 'Catalogue des documents',
  lead: 'Les fiches pratiques et les synthèses du groupe de travail : cherchez, filtrez, puis rédigez-les à plusieurs, en même temps.',
  /** The lead on a phone, where the first documents must be on the first screen (issue 16). */
  leadShort: 'Les fiches pratiques et les synthèses du groupe de travail.',
  newDocument: 'Nouveau document',
  reviewDashboard: 'Tableau de relecture',
  /** Its words on a phone, beside « Nouveau document » (the navigation's word for it). */
  reviewDashboardShort: 'Relecture',

  // Filters.
  filtersTitle: 'Filtrer les documents',
  searchLabel: 'Rechercher',
  searchHint:
    'Dans le titre, les informations, le texte des sections et les commentaires. Des guillemets pour une expression exacte : « "aller vers" ».',
  kindFilter: 'Type de document',
  allKinds: 'Tous les types',
  reviewStateFilter: 'État de relecture',
  allReviewStates: 'Tous les états',
  themeFilter: 'Thème',
  allThemes: 'Tous les thèmes',
  archivedThemesGroup: 'Thèmes archivés',
  categoryFilter: 'Catégorie',
  allCategories: 'Toutes les catégories',
  territoryFilter: 'Territoire',
  allTerritories: 'Tous les territoires',
  national: 'National',
  wholeRegion: (nom: string) => `${nom} (toute la région)`,
  structureTypeFilter: 'Type de structure',
  allStructureTypes: 'Tous les types de structure',
  rapporteurFilter: 'Rapporteur',
  allRapporteurs: 'Tous les rapporteurs',
  yearFilter: 'Année de démarrage',
  yearHint: 'Format attendu : AAAA',
  /** With the year the list stays filtered on meanwhile, if any (tester F12). */
  yearInvalid: (min: number, max: number, kept: number | null) =>
    `Indiquez une année sur quatre chiffres, entre ${min} et ${max}.` +
    (kept === null ? ' La liste n’est pas filtrée par année.' : ` La liste reste filtrée sur ${kept}.`),
  mineToggle: 'Mes documents',
  mineHint: 'Seulement ceux que vous rédigez',
  archivedToggle: 'Documents archivés',
  archivedHint: 'Afficher les documents archivés à la place des documents en cours',
  sortLabel: 'Trier par',
  sortLabels: {
    updated: 'Dernière modification',
    created: 'Date de création',
    title: 'Titre',
    categorie: 'Catégorie',
    territoire: 'Territoire',
    structure: 'Structure',
    annee: 'Année de démarrage',
    pages: 'Nombre de pages',
    kind: 'Type de document',
    structureType: 'Type de structure',
    rapporteurs: 'Rapporteurs',
    progress: 'Avancement de la relecture',
    relevance: 'Pertinence',
  } satisfies Record<CatalogueSort, string>,
  orderLabel: 'Ordre',
  orderLabels: { asc: 'Croissant', desc: 'Décroissant' } satisfies Record<SortOrder, string>,
  /** The folded sort and display on a phone: what they are set to (« Tri · Titre, croissant »). */
  sortSummary: (sort: string, order: string | null) =>
    `Tri · ${order ? `${sort}, ${order.toLowerCase()}` : sort}`,
  resetFilters: 'Réinitialiser les filtres',
  activeFilters: (n: number) =>
    n === 0 ? 'Aucun filtre actif' : `${n} ${plural(n, 'filtre actif', 'filtres actifs')}`,

  // Where the search words were found in a document's text (issue 18).
  matchesLabel: (title: string) => `Passages trouvés dans « ${title} »`,
  foundInSection: (section: string) => `Trouvé dans la section « ${section} »`,
  foundInUntitledSection: 'Trouvé dans une section sans titre',
  foundInComment: 'Trouvé dans un commentaire',
  /** Said after each link, for screen readers: which document it opens. */
  inDocument: (title: string) => ` de « ${title} »`,

  // Results.
  resultsTitle: 'Documents',
  archivedResultsTitle: 'Documents archivés',
  resultCount: (n: number, archived: boolean) => {
    const noun = archived
      ? plural(n, 'document archivé', 'documents archivés')
      : plural(n, 'document', 'documents');
    return n === 0 ? `Aucun ${archived ? 'document archivé' : 'document'}` : `${number(n)} ${noun}`;
  },
  // Pages of results (issue 17): the first page, then « Afficher plus de documents ».
  showMore: 'Afficher plus de documents',
  /** The link before a list of several pages that takes the focus past it, to its end. */
  skipToEnd: 'Aller à la fin de la liste',
  /** After « Afficher plus de documents »: how many are not shown yet. */
  remaining: (n: number) => `${number(n)} ${plural(n, 'restant', 'restants')}`,
  /** Under the list while some are not shown: « 50 affichés sur 3 468 ». */
  shownOf: (shown: number, total: number) =>
    `${number(shown)} ${plural(shown, 'affiché', 'affichés')} sur ${number(total)}`,
  loadingMore: 'Chargement des documents suivants…',
  /** Announced once the next page is shown (the focus goes to its first document). */
  moreLoaded: (added: number, shown: number, total: number) =>
    `${number(added)} ${plural(added, 'document de plus', 'documents de plus')} : ` +
    `${number(shown)} ${plural(shown, 'affiché', 'affichés')} sur ${number(total)}.`,
  moreErrorTitle: 'Les documents suivants n’ont pas été chargés',
  /**
   * At the end of the pages, some documents not shown (tester BR37: changed or created while the
   * person went through the pages, they moved into a page already shown).
   */
  listChanged: (missing: number) =>
    `La liste a changé pendant que vous la parcouriez : ${number(missing)} ${plural(missing, 'document n’est pas affiché', 'documents ne sont pas affichés')}.`,
  refreshList: 'Actualiser la liste',
  loading: 'Chargement des documents…',
  updating: 'Mise à jour de la liste…',
  loadErrorTitle: 'Impossible d’afficher les documents',
  retry: 'Réessayer',
  emptyFiltered: 'Aucun document ne correspond à ces filtres.',
  emptyFilteredHint: 'Essayez d’en retirer, ou réinitialisez-les.',
  empty: 'Aucun document pour le moment.',
  emptyCanCreate: 'Créez la première fiche avec le bouton « Nouveau document ».',
  emptyArchived: 'Aucun document archivé : rien n’a été archivé dans cet espace.',
  viewLegend: 'Affichage',
  viewCards: 'Cartes',
  viewTable: 'Tableau',
  tableCaption: (count: string) => `Documents de l’espace (${count})`,
  colTitle: 'Document',
  colThemes: 'Thèmes',
  colCategory: 'Catégorie',
  colTerritory: 'Territoire',
  colStructure: 'Structure',
  colAssignees: 'Rapporteurs',
  colProgress: 'Avancement',
  colChanged: 'Dernière modification',
  colActions: 'Actions',
  statusArchived: 'Archivé',
  readOnly: 'Lecture seule',
  openThreads: (n: number) => `${n} commentaire${n > 1 ? 's' : ''} ouvert${n > 1 ? 's' : ''}`,
  /** Approved reuse signals of a published practice (issue 13). */
  reuses: (n: number) => `${n} reprise${n > 1 ? 's' : ''} signalée${n > 1 ? 's' : ''}`,
  notSet: 'Non renseigné',
  noAssignees: 'Aucun rapporteur',
  noThemes: 'Aucun thème',
  pagesTarget: `cible : ${FICHE_PAGE_TARGET.min} à ${FICHE_PAGE_TARGET.max} pages`,
  pagesOver: `au-delà des ${FICHE_PAGE_TARGET.max} pages visées`,
  changedPrefix: 'Modifié ',
  archivedPrefix: 'Archivé ',
  by: (who: string) => `par ${who}`,

  // Archive and restore (animateur).
  archive: 'Archiver',
  archiveLabel: (title: string) => `Archiver « ${title} »`,
  restore: 'Restaurer',
  restoreLabel: (title: string) => `Restaurer « ${title} »`,
  archiveDialogTitle: 'Archiver ce document ?',
  archiveDialogText: (title: string) =>
    `« ${title} » quittera le catalogue et passera en lecture seule. Rien n’est supprimé : vous le retrouverez avec le filtre « Documents archivés » et pourrez le restaurer.`,
  archiveConfirm: 'Archiver le document',
  restoreDialogTitle: 'Restaurer ce document ?',
  restoreDialogText: (title: string) =>
    `« ${title} » reviendra dans le catalogue et pourra de nouveau être modifié par ses rapporteurs.`,
  restoreConfirm: 'Restaurer le document',
  archived: (title: string) =>
    `« ${title} » est archivé. Vous le retrouverez avec le filtre « Documents archivés ».`,
  restored: (title: string) => `« ${title} » est restauré : il est de nouveau dans le catalogue.`,
  archiveErrorTitle: 'Le document n’a pas été archivé',
  restoreErrorTitle: 'Le document n’a pas été restauré',

  // Recent activity.
  activityTitle: 'Activité récente',
  activityLoading: 'Chargement de l’activité…',
  activityEmpty: 'Aucune activité pour le moment.',
  activityErrorTitle: 'Impossible d’afficher l’activité',
  unknownPerson: 'Une personne',
  justNow: 'à l’instant',
  onDay: (day: string) => `le ${day}`,
  progress: (approved: number, sections: number) =>
    `${approved} / ${sections} ${plural(sections, 'section approuvée', 'sections approuvées')}`,
  actionCreated: 'a créé',
  actionArchived: 'a archivé',
  actionRestored: 'a restauré',
  actionEdited: 'a modifié',
  actionEditedParts: (parts: string[]) => `a modifié ${parts.join(' et ')}`,
  editedFields: (fields: string[]) => `les informations (${fields.join(', ')})`,
  otherSections: (n: number) => (n === 1 ? 'une autre section' : `${n} autres sections`),
  fieldLabels: {
    title: 'titre',
    themes: 'thèmes',
    categorie: 'catégorie',
    territoire: 'territoire',
    structure: 'structure',
    structureType: 'type de structure',
    public: 'public',
    anneeDemarrage: 'année de démarrage',
    contact: 'contact',
    motsCles: 'mots-clés',
  } as Record<string, string | undefined>,
  departement: (code: string) => `Département ${code}`,
  region: (code: string) => `Région ${code}`,
} as const;
