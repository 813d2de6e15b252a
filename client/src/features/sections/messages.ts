/** Every sentence about sections (menus, outline, guard), in one place so it can be translated. */
export const sectionsMessages = {
  newSectionTitle: 'Nouvelle section',
  untitled: 'Section sans titre',
  titlePlaceholder: 'Titre de la section',
  menu: {
    button: (title: string) => `Actions de la section « ${title} »`,
    label: (title: string) => `Actions de la section « ${title} »`,
    addAfter: 'Ajouter une section après',
    moveUp: 'Monter',
    moveDown: 'Descendre',
    rename: 'Renommer',
    remove: 'Supprimer',
    comment: 'Commenter la section',
    commentButton: (title: string) => `Commenter la section « ${title} »`,
    requiredHint: 'Section obligatoire du modèle : elle ne peut pas être supprimée.',
    lastHint: 'Le document garde au moins une section.',
    moveOfflineHint:
      'Monter ou descendre une section demande la connexion au serveur : ces actions reviennent dès la reconnexion.',
  },
  confirm: {
    title: 'Supprimer la section ?',
    body: (title: string) =>
      `La section « ${title} » et tout son contenu seront supprimés pour toutes les personnes qui rédigent ce document.`,
    confirm: 'Supprimer la section',
  },
  announce: {
    added: (title: string) => `Section « ${title} » ajoutée. Saisissez son titre.`,
    moved: (title: string, position: number, total: number) =>
      `Section « ${title} » déplacée en position ${position} sur ${total}.`,
    removed: (title: string) => `Section « ${title} » supprimée.`,
    refused: 'Suppression impossible : la sélection contient une section obligatoire du modèle.',
    moveOffline:
      'Déplacement impossible hors connexion : la section sera déplaçable dès le retour de la connexion.',
    moveFailed: {
      'read-only': 'Déplacement refusé : vous ne pouvez plus modifier ce document.',
      'unknown-section': 'Déplacement impossible : cette section a été supprimée entre-temps.',
      'unknown-target': 'Déplacement impossible : la section voisine a été supprimée entre-temps.',
      'invalid-request': 'Déplacement impossible : la demande n’a pas été comprise par le serveur.',
      'no-answer': 'Le serveur n’a pas confirmé le déplacement : vérifiez la connexion, puis réessayez.',
    },
  },
  outline: {
    title: 'Sommaire',
    empty: 'à rédiger',
    emptyLong: 'section à rédiger',
    none: 'Ce document n’a pas encore de sections.',
    comments: (n: number) => `${n} commentaire${n > 1 ? 's' : ''} ouvert${n > 1 ? 's' : ''}`,
    progress: (written: number, total: number) =>
      total === 0
        ? ''
        : // Non-breaking spaces: a number never ends a line alone (« sur » / « 13 » on a phone).
          `${written}\u00a0section${written > 1 ? 's' : ''} rédigée${written > 1 ? 's' : ''} sur\u00a0${total}`,
    /** The same, short, on the folded line of a phone: « 13 sur 13 rédigées ». */
    progressShort: (written: number, total: number) =>
      total === 0 ? '' : `${written}\u00a0sur\u00a0${total} rédigée${written > 1 ? 's' : ''}`,
  },
} as const;
