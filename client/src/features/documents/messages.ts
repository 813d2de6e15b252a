import { documentKindLabels, FICHE_PAGE_TARGET, ficheTemplate, syntheseTemplate } from '@essaim/domain';
import type { DocumentKind } from '@essaim/protocol';

/** Every sentence of the document creation page, in one place so it can be translated. */
export const documentsMessages = {
  /** « Fiche pratique », « Document de synthèse » (one source: the domain package). */
  kindLabel: documentKindLabels satisfies Record<DocumentKind, string>,
  kindDescription: {
    fiche: `Une pratique repérée sur un territoire, décrite en ${FICHE_PAGE_TARGET.min} à ${FICHE_PAGE_TARGET.max} pages selon le modèle du groupe (${ficheTemplate.sections.length} sections).`,
    synthese: `Le document qui rassemble les enseignements des fiches et les recommandations du groupe (${syntheseTemplate.sections.length} sections).`,
  } satisfies Record<DocumentKind, string>,

  pageTitle: 'Nouveau document',
  lead: 'Le document est créé à partir du modèle du groupe de travail : ses sections sont prêtes à être rédigées.',
  leadRapporteur: 'Vous en serez le rapporteur : le document vous est attribué.',
  requiredFields: 'Sauf mention contraire, tous les champs sont obligatoires.',
  kindFieldLabel: 'Type de document',
  titleLabel: 'Titre',
  titleHint: 'Par exemple : Conférences familiales en Ardèche',
  themesLabel: 'Thèmes (facultatif)',
  themesHint: 'Vous pourrez les modifier ensuite dans les informations du document.',
  themesLoading: 'Chargement des thèmes…',
  themesUnavailable:
    'Les thèmes n’ont pas pu être chargés : vous pourrez les choisir ensuite dans les informations du document.',
  themesNone: 'Aucun thème dans cet espace pour le moment.',
  createSubmit: 'Créer le document',
  creating: 'Création en cours…',
  cancel: 'Annuler',
  createErrorTitle: 'Le document n’a pas été créé',
  notAllowedTitle: 'Vous ne pouvez pas créer de document ici',
  notAllowed: 'Dans cet espace, votre rôle permet de lire les documents, pas d’en créer.',
  backToCatalogue: 'Retour au catalogue',
  titleRequired: 'Le titre est obligatoire.',
} as const;
