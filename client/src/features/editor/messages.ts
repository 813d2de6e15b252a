import type { ConnectionState } from './connectionState.js';

/** Every sentence of the editor page, in one place so it can be translated. */
export const editorMessages = {
  breadcrumbEspace: 'Espace de travail',
  opening: 'Ouverture du document…',
  openingSlow:
    'Le document n’est pas encore arrivé : le serveur ne répond pas, ou la connexion est très lente. Il s’affichera dès qu’il sera là ; vous pouvez aussi recharger la page.',
  openingReload: 'Recharger la page',
  contentLabel: 'Contenu du document',
  readOnly:
    'Lecture seule : vous pouvez consulter ce document mais pas le modifier. Dans le texte, les flèches déplacent le curseur et Maj+flèches sélectionnent.',
  readOnlyComment:
    'Lecture seule : vous pouvez consulter ce document mais pas le modifier. Dans le texte, les flèches déplacent le curseur et Maj+flèches sélectionnent des mots ; Ctrl+Alt+M les commente.',
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
  /**
   * Above a document opened from this browser's copy: « hors ligne » when the browser has no
   * network, as the badge says, « injoignable » otherwise; nothing is promised to a reader, who
   * cannot change the text (tester BR42).
   */
  offlineOpen: {
    offline: {
      write:
        'Vous êtes hors ligne : vous travaillez sur la copie enregistrée dans ce navigateur. Vos modifications seront envoyées au retour de la connexion.',
      read: 'Vous êtes hors ligne : vous consultez la copie enregistrée dans ce navigateur.',
    },
    unreachable: {
      write:
        'Le serveur est injoignable : vous travaillez sur la copie enregistrée dans ce navigateur. Vos modifications seront envoyées au retour de la connexion.',
      read: 'Le serveur est injoignable : vous consultez la copie enregistrée dans ce navigateur.',
    },
  },
  backOnline: 'Connexion rétablie.',
  shortcuts:
    'Raccourcis : Ctrl+B gras, Ctrl+I italique, Alt+F10 pour atteindre la barre d’outils. Chaque section a un menu « Actions » à droite de son titre.',
  connection: {
    connecting: 'Connexion au serveur…',
    connected: 'Connecté',
    offline: 'Hors ligne — vos modifications sont conservées',
    unreachable: 'Serveur injoignable — vos modifications sont conservées',
    syncing: 'Enregistrement…',
    saved: 'Enregistré',
    refused: 'Modification refusée — rien n’est envoyé',
  } satisfies Record<ConnectionState, string>,
  /** The badge's words for a reader (read-only): no changes of theirs to keep (tester BR42). */
  connectionReadOnly: {
    offline: 'Hors ligne',
    unreachable: 'Serveur injoignable',
  } satisfies Partial<Record<ConnectionState, string>>,
  /**
   * The badge's words on a phone, where its place on the breadcrumb's line holds about ten capital
   * letters (142 px): cut short with « … », « Hors ligne — vos modifications sont conservées » read
   * « HORS LIG… » (tester BR39 F4). Each is a whole word, none an abbreviation that reads as cut
   * (« SYNCHRO… », tester BR40 L1). The whole words above stay the badge's accessible text and its
   * `title`.
   */
  connectionShort: {
    connecting: 'Attente…',
    connected: 'Connecté',
    offline: 'Hors ligne',
    unreachable: 'Coupure',
    syncing: 'Envoi…',
    saved: 'Enregistré',
    refused: 'Refusé',
  } satisfies Record<ConnectionState, string>,
  connectionLabel: 'État de la connexion :',
  updateRefused: {
    'too-large': {
      title: 'Votre dernière modification est trop volumineuse pour être enregistrée',
      description:
        'Le serveur l’a refusée : elle dépasse ce qu’il accepte en une fois (par exemple un très long texte collé, ou beaucoup de texte écrit hors ligne). Rien n’est perdu : elle reste dans ce navigateur, mais plus rien n’est envoyé tant qu’elle est là. Annulez-la (Ctrl+Z) ou supprimez le texte concerné, puis choisissez « Se reconnecter ». Pour un long texte, collez-le en plusieurs fois.',
    },
    'document-full': {
      title: 'Le document a atteint sa taille maximale',
      description:
        'Le serveur a refusé votre dernière modification : elle ferait dépasser au document la taille autorisée. Rien n’est perdu : elle reste dans ce navigateur, mais plus rien n’est envoyé tant qu’elle est là. Annulez-la (Ctrl+Z) ou supprimez le texte concerné, puis choisissez « Se reconnecter ». Si le document doit encore grandir, parlez-en à l’administrateur.',
    },
    invalid: {
      title: 'Votre dernière modification a été refusée par le serveur',
      description:
        'Elle contient un contenu que le serveur n’accepte pas (par exemple une mise en forme inconnue venue d’un copier-coller). Rien n’est perdu : elle reste dans ce navigateur, mais plus rien n’est envoyé tant qu’elle est là. Annulez-la (Ctrl+Z) ou supprimez le passage concerné, puis choisissez « Se reconnecter ».',
    },
    again:
      'La modification est toujours refusée : annulez aussi les précédentes (Ctrl+Z plusieurs fois) ou supprimez le passage concerné, puis réessayez.',
    reconnect: 'Se reconnecter',
  },
  pasteRefused: {
    'too-large': (size: string, limit: string) =>
      `Ce texte est trop long pour être collé en une fois (environ ${size}) : le serveur accepte au plus ${limit} par modification. Collez-le en plusieurs parties. Le document n’a pas été modifié.`,
    'document-full': (limit: string) =>
      `Ce collage ferait dépasser au document sa taille maximale (${limit}). Le document n’a pas été modifié.`,
  },
  /** A size in bytes as people read it: « 950 ko », « 2,3 Mo ». */
  size: (bytes: number) =>
    bytes < 1024 * 1024
      ? `${Math.max(1, Math.round(bytes / 1024))} ko`
      : `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`,
  toolbar: {
    label: 'Mise en forme du texte',
    paragraph: 'Texte normal',
    heading3: 'Sous-titre (niveau 3)',
    heading4: 'Intertitre (niveau 4)',
    bold: 'Gras',
    italic: 'Italique',
    bulletList: 'Liste à puces',
    orderedList: 'Liste numérotée',
    blockquote: 'Citation',
    link: 'Lien',
    table: 'Insérer un tableau (3 × 3, avec une ligne d’en-tête)',
    image: 'Insérer une image',
    footnote: 'Insérer une note de bas de page',
    docRef: 'Lier une autre fiche',
  },
  table: {
    label: 'Tableau',
    addRow: 'Ajouter une ligne',
    removeRow: 'Supprimer la ligne',
    addColumn: 'Ajouter une colonne',
    removeColumn: 'Supprimer la colonne',
    remove: 'Supprimer le tableau',
  },
  footnote: {
    notesTitle: 'Notes',
    edit: (n: number) => `Modifier la note ${n}`,
    callName: (n: number, text: string) => (text ? `Note ${n} : ${text}` : `Note ${n}`),
  },
  gauge: {
    title: 'Longueur',
    target: (min: number, max: number) => `objectif : ${min} à ${max} pages`,
    meterLabel: 'Longueur estimée de la fiche',
    status: { short: 'trop court', target: 'dans l’objectif', long: 'trop long' },
    help: 'Estimation : environ 3 000 caractères par page ; un tableau ou une image compte pour un tiers de page.',
  },
  archived: {
    title: 'Ce document est archivé',
    description: 'Il n’apparaît plus dans le catalogue et ne peut plus être modifié.',
    descriptionRestore:
      'Il n’apparaît plus dans le catalogue et ne peut plus être modifié. Restaurez-le pour le rédiger à nouveau.',
    restore: 'Restaurer',
    restoring: 'Restauration…',
    restoreFailed: 'Le document n’a pas été restauré',
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
    /** No answer, and no local copy: in the badge's words (`navigator.onLine`). */
    networkLead: {
      offline:
        'Vous êtes hors ligne et ce document n’a jamais été ouvert dans ce navigateur : il n’en existe pas de copie hors ligne. Vérifiez votre connexion puis réessayez.',
      unreachable:
        'Le serveur est injoignable et ce document n’a jamais été ouvert dans ce navigateur : il n’en existe pas de copie hors ligne. Vérifiez votre connexion puis réessayez.',
    },
    serverTitle: 'Une erreur est survenue',
    deniedLead: (reason: string) => `Le serveur a refusé l’ouverture du document (${reason}).`,
    tooManyConnectionsTitle: 'Trop de documents ouverts avec votre compte',
    tooManyConnectionsLead:
      'Votre compte a déjà autant de documents ouverts que le serveur en permet à une personne (un par onglet). Fermez les onglets d’Essaim dont vous n’avez plus besoin, ici ou sur vos autres appareils, puis réessayez. Ce que vous avez écrit dans ce navigateur y reste conservé.',
    damagedTitle: 'Ce document est endommagé',
    damagedLead:
      'Ce document est endommagé : ce que le serveur en a enregistré ne peut pas être lu. Rien n’a été effacé, et l’administrateur a été prévenu : il peut le réparer. Ce que vous avez écrit dans ce navigateur y reste conservé. Réessayez plus tard.',
  },
} as const;
