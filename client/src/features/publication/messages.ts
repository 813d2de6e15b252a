import type { ReuseSignalStatus } from '@essaim/protocol';
import type { ExportFormat } from './formats.js';
import { publicationStateLabels } from './stateLabels.js';
import { statusButtonMessages } from '../editor/statusButtonMessages.js';

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * Every sentence of publication, downloads and reuse-signal moderation in the application
 * (issues 13 and 14), in one place so it can be translated.
 */
export const publicationMessages = {
  bar: {
    label: 'Publication du document',
    published: publicationStateLabels.published,
    lineVisible: (n: number) => `Version ${n} publiée`,
    lineHidden: (n: number) => `Dépubliée : version ${n} publiée`,
    notPublished: 'Pas encore publiée',
    publishedOn: (when: string, by: string | null) => (by ? `le ${when} par ${by}` : `le ${when}`),
    frozen:
      'Publication figée : les modifications faites ensuite dans le document ne la changent pas. Elle se lit sans compte sur le portail public.',
    portalLink: 'Voir sur le portail public',
    portalLinkTitle: (n: number) => `Voir la version ${n} sur le portail public`,
    newVersion: publicationStateLabels.newVersion,
    newVersionHint: (n: number) =>
      `Le portail montre toujours la version ${n} : les modifications n’y apparaîtront qu’une fois la version ${n + 1} publiée.`,
    unpublishedHint:
      'Le document n’est plus sur le portail public (ni dans sa recherche, ni dans son flux). Rien n’est supprimé : « Republier » le remet en ligne.',
    notReadyHint:
      'Le document pourra être publié quand toutes ses sections obligatoires seront approuvées et à jour.',
    nextNotReadyHint: (n: number) =>
      `La version ${n} pourra être publiée quand toutes les sections obligatoires seront de nouveau approuvées.`,
    readyHint: 'Toutes les sections obligatoires sont approuvées : le document peut être publié.',
    compare: 'Comparer avec la publication',
    compareTitle: (n: number) => `Comparer la version publiée ${n} avec le texte actuel`,
    publish: 'Publier',
    publishNext: (n: number) => `Publier la version ${n}`,
    unpublish: 'Dépublier',
    republish: 'Republier',
    loadFailed: 'Les publications du document n’ont pas pu être chargées.',
    retry: 'Réessayer',
  },
  dialog: {
    publishTitle: (n: number) => (n === 1 ? 'Publier ce document ?' : `Publier la version ${n} ?`),
    publishFreeze: (n: number) =>
      `Le texte actuel du document, tel que le serveur l’a enregistré, sera figé comme publication ${n}.`,
    publishNeverChanges:
      'Les modifications faites ensuite dans le document ne changeront jamais cette publication : pour les rendre publiques, il faudra publier une nouvelle version.',
    publishPortal:
      'Elle sera lisible par tous, sans compte, sur le portail public : page de la pratique, recherche, carte et flux.',
    publishKeeps: (previous: number) =>
      `La version ${previous} restera lisible à sa propre adresse ; le portail montrera la nouvelle par défaut.`,
    publishConfirm: (n: number) => `Publier la version ${n}`,
    unpublishTitle: 'Dépublier ce document ?',
    unpublishBody:
      'Le document sera retiré du portail public, de sa recherche et de son flux, avec toutes ses versions publiées. Rien n’est supprimé et l’action est inscrite au journal : « Republier » le remettra en ligne.',
    unpublishConfirm: 'Dépublier',
    republishTitle: 'Republier ce document ?',
    republishBody: (n: number) =>
      `La version ${n} reviendra sur le portail public, dans sa recherche et dans son flux, à la même adresse.`,
    republishConfirm: 'Republier',
    pending: 'Envoi…',
    cancel: 'Annuler',
    failedTitle: 'Action refusée',
  },
  done: {
    published: (n: number) => `Document publié : la version ${n} est sur le portail public.`,
    unpublished: 'Document dépublié : il n’est plus sur le portail public.',
    republished: (n: number) => `Document republié : la version ${n} est de nouveau sur le portail public.`,
  },
  compare: {
    title: (n: number) => `Version publiée ${n} et texte actuel`,
    loading: 'Recherche de la version publiée…',
    missing: 'La version enregistrée à cette publication est introuvable dans l’historique.',
    loadFailed: 'La version publiée n’a pas pu être retrouvée.',
    retry: 'Réessayer',
    close: 'Fermer',
  },
  download: {
    button: statusButtonMessages.download,
    buttonTitle: statusButtonMessages.downloadTitle,
    title: 'Télécharger le document',
    draftTitle: 'Document de travail, non publié',
    draftHint:
      'Le texte actuel, tel que le serveur l’a enregistré. Chaque page porte la mention « Document de travail — non publié » et la date du jour.',
    draftPrefix: 'Télécharger le document de travail en ',
    formats: {
      pdf: 'PDF',
      docx: 'Word (DOCX)',
      odt: 'OpenDocument (ODT)',
      md: 'Markdown',
      html: 'HTML',
    } satisfies Record<ExportFormat, string>,
    formatHints: {
      pdf: 'à imprimer ou à joindre',
      docx: 'à modifier dans Word',
      odt: 'à modifier dans LibreOffice',
      md: 'texte simple',
      html: 'page web autonome',
    } satisfies Record<ExportFormat, string>,
    preparing: (format: string) => `Préparation du fichier ${format}…`,
    saved: (fileName: string) => `Fichier « ${fileName} » téléchargé.`,
    failedTitle: 'Le téléchargement a échoué',
    publicationsTitle: 'Versions publiées',
    publicationsHint:
      'Telles qu’elles sont sur le portail public, sans mention de document de travail. Ces liens sont publics : ils peuvent être partagés.',
    publication: (n: number, when: string) => `Version ${n}, publiée le ${when}`,
    publicationPrefix: (n: number) => `Télécharger la version publiée ${n} en `,
    none: 'Le document n’a encore jamais été publié.',
    loadingPublications: 'Chargement des versions publiées…',
    hidden:
      'Le document est dépublié : ses versions publiées ne se téléchargent plus depuis le portail public.',
    close: 'Fermer',
  },
  signals: {
    title: 'Signalements de reprise',
    documentTitle: (espace: string) => `Signalements de reprise — ${espace}`,
    lead: 'Sur le portail public, les visiteurs disent où ils s’inspirent d’une pratique publiée (« Je m’inspire de cette pratique »). Un signalement n’est affiché sur la page de la pratique qu’une fois approuvé ; l’adresse de courriel n’est jamais affichée.',
    filterLegend: 'Signalements à afficher',
    statuses: {
      en_attente: 'En attente',
      approuve: 'Approuvés',
      refuse: 'Refusés',
    } satisfies Record<ReuseSignalStatus, string>,
    listLabel: (status: string) => `Signalements ${status.toLowerCase()}`,
    count: (n: number, status: ReuseSignalStatus) =>
      n === 0
        ? {
            en_attente: 'Aucun signalement en attente.',
            approuve: 'Aucun signalement approuvé.',
            refuse: 'Aucun signalement refusé.',
          }[status]
        : {
            en_attente: `${plural(n, 'signalement attend', 'signalements attendent')} votre décision.`,
            approuve: `${plural(n, 'signalement approuvé', 'signalements approuvés')}, affichés sur le portail.`,
            refuse: `${plural(n, 'signalement refusé', 'signalements refusés')}, jamais affichés.`,
          }[status],
    loading: 'Chargement des signalements…',
    loadFailed: 'Les signalements n’ont pas pu être chargés.',
    retry: 'Réessayer',
    practice: 'Pratique',
    territory: 'Territoire',
    structure: 'Structure',
    message: 'Message',
    email: 'Courriel',
    received: 'Reçu le',
    moderated: 'Modéré le',
    noStructureName: 'nom non indiqué',
    noMessage: 'Aucun message.',
    noEmail: 'Non indiqué',
    entryTitle: (structure: string, territory: string) => `${structure} — ${territory}`,
    approve: 'Approuver',
    reject: 'Refuser',
    approveTitle: (who: string, practice: string) => `Approuver le signalement de ${who} sur « ${practice} »`,
    rejectTitle: (who: string, practice: string) => `Refuser le signalement de ${who} sur « ${practice} »`,
    pending: 'Envoi…',
    approved: (practice: string) =>
      `Signalement approuvé : il est affiché sur la page publique de « ${practice} ».`,
    rejected: (practice: string) => `Signalement sur « ${practice} » refusé : il ne sera pas affiché.`,
    failed: 'Action refusée : ',
    noticeTitle: 'Décision non enregistrée',
    forbiddenTitle: 'Page réservée à l’animateur',
    forbiddenCode: 'Erreur 403',
    forbiddenLead:
      'Seul l’animateur de l’espace modère les signalements de reprise laissés sur le portail public.',
    home: 'Retour au catalogue',
  },
};
