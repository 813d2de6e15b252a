import type { ConnectionState } from './connectionState.js';

/** Every sentence of the editor page, in one place so it can be translated. */
export const editorMessages = {
  breadcrumbHome: 'Fiches et synthèses',
  opening: 'Ouverture du document…',
  contentLabel: 'Contenu du document',
  readOnly: 'Lecture seule : vous pouvez consulter ce document mais pas le modifier.',
  offlineOpen:
    'Le serveur est injoignable : vous travaillez sur la copie enregistrée dans ce navigateur. Vos modifications seront envoyées au retour de la connexion.',
  shortcuts: 'Raccourcis : Ctrl+B gras, Ctrl+I italique, Alt+F10 pour atteindre la barre d’outils.',
  connection: {
    connected: 'Connecté',
    offline: 'Hors ligne — vos modifications sont conservées',
    syncing: 'Synchronisation…',
    saved: 'Enregistré',
  } satisfies Record<ConnectionState, string>,
  connectionLabel: 'État de la connexion :',
  identityPrompt: 'Avant d’ouvrir le document',
  toolbar: {
    label: 'Mise en forme du texte',
    bold: 'Gras',
    italic: 'Italique',
    heading2: 'Titre de niveau 2',
    heading3: 'Titre de niveau 3',
    bulletList: 'Liste à puces',
    orderedList: 'Liste numérotée',
    blockquote: 'Citation',
    link: 'Lien',
  },
  link: {
    formLabel: 'Ajouter ou modifier un lien',
    urlLabel: 'Adresse du lien',
    urlHint: 'Par exemple : https://www.solidarites.gouv.fr',
    urlInvalid: 'Saisissez une adresse commençant par https://, http:// ou mailto:.',
    apply: 'Appliquer le lien',
    remove: 'Retirer le lien',
    cancel: 'Annuler',
  },
  errors: {
    home: 'Retour à la liste des documents',
    retry: 'Réessayer',
    notFoundTitle: 'Document introuvable',
    notFoundCode: 'Erreur 404',
    notFoundLead:
      'Ce document n’existe pas ou n’existe plus. Vérifiez l’adresse, ou retrouvez-le dans la liste des documents.',
    forbiddenTitle: 'Accès refusé',
    forbiddenCode: 'Erreur 403',
    forbiddenLead:
      'Vous n’avez pas accès à ce document. Demandez à la personne qui l’anime de vous y inviter.',
    networkTitle: 'Document indisponible',
    networkLead:
      'Le serveur est injoignable et ce document n’a jamais été ouvert dans ce navigateur : il n’en existe pas de copie hors ligne. Vérifiez votre connexion puis réessayez.',
    serverTitle: 'Une erreur est survenue',
    deniedLead: (reason: string) => `Le serveur a refusé l’ouverture du document (${reason}).`,
  },
} as const;
