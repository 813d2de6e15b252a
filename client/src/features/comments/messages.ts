/** Every sentence about comments and notifications, in one place so it can be translated. */

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export const commentsMessages = {
  panel: {
    title: 'Commentaires',
    filterLegend: 'Afficher',
    filter: { open: 'Ouverts', resolved: 'Résolus', all: 'Tous' },
    counts: (open: number, resolved: number) =>
      `${plural(open, 'ouvert', 'ouverts')}, ${plural(resolved, 'résolu', 'résolus')}`,
    loading: 'Chargement des commentaires…',
    loadFailed: 'Les commentaires n’ont pas pu être chargés.',
    retry: 'Réessayer',
    empty: {
      open: 'Aucun commentaire ouvert.',
      resolved: 'Aucun commentaire résolu.',
      all: 'Aucun commentaire sur ce document.',
    },
    howTo:
      'Sélectionnez des mots puis « Commenter » (Ctrl+Alt+M), ou commentez une section depuis son menu. Dans des mots commentés, Ctrl+Alt+M ouvre leur fil.',
    orphanedGroup: 'Texte d’origine supprimé',
    unknownSection: 'Section supprimée',
    untitledSection: 'Section sans titre',
    archived: 'Ce document est archivé : ses commentaires sont en lecture seule.',
    /** Above the threads saved on this device: in the badge's words (`navigator.onLine`). */
    saved: {
      offline:
        'Vous êtes hors ligne : voici les commentaires enregistrés sur cet appareil lors de votre dernière visite. Vous pourrez commenter et répondre au retour de la connexion.',
      unreachable:
        'Le serveur est injoignable : voici les commentaires enregistrés sur cet appareil lors de votre dernière visite. Vous pourrez commenter et répondre au retour de la connexion.',
    },
  },
  thread: {
    open: (quote: string) => `Ouvrir le fil sur « ${quote} »`,
    wholeSection: (title: string) => `Section « ${title} »`,
    orphaned: 'texte d’origine supprimé',
    resolvedBadge: 'Résolu',
    replies: (n: number) => (n === 0 ? 'aucune réponse' : plural(n, 'réponse', 'réponses')),
    by: (name: string) => `par ${name}`,
    goToText: 'Aller au passage commenté',
    resolve: 'Résoudre',
    reopen: 'Rouvrir',
    resolvedBy: (name: string, when: string) => `Résolu par ${name}, le ${when}`,
    deleteThread: 'Supprimer le fil',
    close: 'Fermer le fil',
    reply: 'Répondre',
    replyLabel: 'Votre réponse',
    edit: 'Modifier',
    editLabel: 'Modifier le message',
    save: 'Enregistrer',
    cancel: 'Annuler',
    delete: 'Supprimer',
    confirmDelete: 'Confirmer la suppression',
    deleted: 'message supprimé',
    moderated: 'message supprimé par la modération',
    edited: 'modifié',
    heading: (quote: string) => `Fil de discussion sur « ${quote} »`,
    gone: 'Ce fil de discussion n’existe plus ou vous n’y avez plus accès.',
    textChanged: (now: string) => `Texte actuel : « ${now} »`,
  },
  form: {
    newOnSelection: 'Nouveau commentaire sur la sélection',
    newOnSection: (title: string) => `Nouveau commentaire sur la section « ${title} »`,
    bodyLabel: 'Votre commentaire',
    bodyHint: 'Texte simple. Tapez @ pour mentionner une personne de l’espace.',
    publish: 'Publier',
    publishing: 'Publication…',
    cancel: 'Annuler',
    tooLong: 'Le message ne peut pas dépasser 10 000 caractères.',
    empty: 'Le message est vide.',
    length: (n: number, max: number) =>
      `${n.toLocaleString('fr-FR')} / ${max.toLocaleString('fr-FR')} caractères`,
    suggestions: 'Personnes à mentionner',
    suggestionsCount: (n: number) =>
      n === 0
        ? 'Aucune personne ne correspond.'
        : `${plural(n, 'personne proposée', 'personnes proposées')} : flèches pour choisir, Entrée pour mentionner.`,
    noSelection: 'Sélectionnez d’abord des mots du texte à commenter.',
  },
  selectionButton: 'Commenter',
  selectionButtonTitle: 'Commenter la sélection (Ctrl+Alt+M)',
  sectionMenuItem: 'Commenter la section',
  sommaire: (n: number) => plural(n, 'commentaire ouvert', 'commentaires ouverts'),
  announce: {
    created: 'Commentaire publié.',
    replied: 'Réponse publiée.',
    edited: 'Message modifié.',
    deleted: 'Message supprimé.',
    threadDeleted: 'Fil de discussion supprimé.',
    resolved: 'Fil de discussion résolu.',
    reopened: 'Fil de discussion rouvert.',
    liveCreated: (name: string) => `Nouveau commentaire de ${name}.`,
    liveReply: (name: string, text: string) => `Réponse de ${name} : ${text}`,
    opened: (quote: string) => `Fil de discussion sur « ${quote} » ouvert.`,
  },
  errors: {
    failed: 'L’action n’a pas abouti.',
    conflict: 'Quelqu’un d’autre vient de modifier ce fil : il a été rechargé.',
  },
  notifications: {
    button: 'Notifications',
    unread: (n: number) => (n === 0 ? 'aucune non lue' : plural(n, 'non lue', 'non lues')),
    title: 'Notifications',
    empty: 'Aucune notification.',
    loading: 'Chargement des notifications…',
    loadFailed: 'Les notifications n’ont pas pu être chargées.',
    markAllRead: 'Tout marquer comme lu',
    markRead: 'Marquer comme lue',
    unreadMark: 'Non lue',
    kind: {
      mention: (actor: string) => `${actor} vous a mentionné`,
      reply: (actor: string) => `${actor} a répondu à un fil où vous participez`,
      resolved: (actor: string) => `${actor} a résolu votre fil de discussion`,
      review_submitted: (actor: string, section: string) =>
        `${actor} a soumis la section « ${section} » à votre relecture`,
      review_approved: (actor: string, section: string) => `${actor} a approuvé la section « ${section} »`,
      review_changes_requested: (actor: string, section: string) =>
        `${actor} demande des modifications dans la section « ${section} »`,
    },
    inDocument: (title: string) => `dans « ${title} »`,
    emailLegend: 'Recevoir les notifications par courriel',
    email: {
      none: 'Jamais',
      immediate: 'À chaque notification',
      daily: 'Un résumé par jour',
    },
    emailUnavailable:
      'Cette instance n’envoie pas de courriel pour le moment : votre choix sera appliqué dès qu’elle le fera.',
    emailSaved: 'Préférence enregistrée.',
    close: 'Fermer',
  },
} as const;
