import type { ConnectionState } from './connectionState.js';

/** Every sentence of the editor page, in one place so it can be translated. */
export const editorMessages = {
  breadcrumbEspace: 'Espace de travail',
  opening: 'Ouverture du document…',
  contentLabel: 'Contenu du document',
  readOnly: 'Lecture seule : vous pouvez consulter ce document mais pas le modifier.',
  readOnlyTitle: 'Lecture seule',
  readOnlyWhy: {
    membre: 'Vous pouvez lire ce document ; seuls les rapporteurs attribués le modifient.',
    rapporteur:
      'Vous pouvez lire ce document ; seuls les rapporteurs attribués le modifient. Pour le rédiger, demandez à l’animateur de l’espace de vous l’attribuer.',
    admin:
      'Vous consultez ce document en tant qu’administrateur : sans rôle dans cet espace de travail, vous ne le modifiez pas.',
    other: 'Vous pouvez lire ce document, mais pas le modifier.',
  },
  nowReadOnly: 'Vous ne pouvez plus modifier ce document : il est maintenant en lecture seule pour vous.',
  nowWritable: 'Vous pouvez maintenant modifier ce document.',
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
    home: 'Retour à l’accueil',
    retry: 'Réessayer',
    notFoundTitle: 'Document introuvable',
    notFoundCode: 'Erreur 404',
    notFoundLead:
      'Ce document n’existe pas ou n’existe plus. Vérifiez l’adresse, ou retrouvez-le dans la liste des documents.',
    forbiddenTitle: 'Accès refusé',
    forbiddenCode: 'Erreur 403',
    forbiddenLead:
      'Vous n’avez pas accès à ce document : il appartient à un espace de travail dont vous n’êtes pas membre. Demandez à la personne qui anime cet espace de vous y inviter.',
    lostAccessTitle: 'Vous n’avez plus accès à ce document',
    lostAccessLead:
      'Vos droits ont changé pendant que le document était ouvert : vous avez peut-être été retiré de l’espace de travail. Le document a été fermé.',
    networkTitle: 'Document indisponible',
    networkLead:
      'Le serveur est injoignable et ce document n’a jamais été ouvert dans ce navigateur : il n’en existe pas de copie hors ligne. Vérifiez votre connexion puis réessayez.',
    serverTitle: 'Une erreur est survenue',
    deniedLead: (reason: string) => `Le serveur a refusé l’ouverture du document (${reason}).`,
  },
} as const;
