/**
 * The French words of the editor's dialogs (footnote, link to another fiche, image), loaded with
 * them after the editor's first drawing (issue 16: the words of editorMessages are part of the
 * first JavaScript; these are not needed to draw the text).
 */
export const dialogMessages = {
  footnote: {
    insertTitle: 'Insérer une note de bas de page',
    editTitle: (n: number) => `Modifier la note ${n}`,
    label: 'Texte de la note',
    hint: 'La note est numérotée automatiquement, dans l’ordre du document.',
    required: 'Saisissez le texte de la note.',
    insert: 'Insérer la note',
    save: 'Enregistrer la note',
    remove: 'Supprimer la note',
    cancel: 'Annuler',
    inserted: 'Note insérée.',
    removed: 'Note supprimée.',
  },
  docRef: {
    title: 'Lier une autre fiche',
    filterLabel: 'Rechercher un document de l’espace',
    filterHint: 'Tapez quelques lettres du titre.',
    loading: 'Chargement des documents…',
    failed: 'La liste des documents n’a pas pu être chargée.',
    retry: 'Réessayer',
    none: 'Aucun autre document dans cet espace pour le moment.',
    noMatch: 'Aucun document ne correspond à cette recherche.',
    results: (n: number) => (n <= 1 ? `${n} document` : `${n} documents`),
    more: (n: number) => `… et ${n} autres : précisez la recherche.`,
    insertPrefix: 'Insérer un lien vers : ',
    cancel: 'Annuler',
    listLabel: 'Documents de l’espace',
  },
  image: {
    title: 'Insérer une image',
    fileLabel: 'Image',
    fileHint: 'PNG, JPEG, GIF ou WebP.',
    fileRequired: 'Choisissez une image.',
    fileType: 'Ce type de fichier n’est pas accepté : choisissez une image PNG, JPEG, GIF ou WebP.',
    altLabel: 'Texte alternatif',
    altHint:
      'Décrivez ce que montre l’image, pour les personnes qui ne la voient pas. Par exemple : « Schéma des étapes d’une conférence familiale ».',
    altRequired: 'Le texte alternatif est obligatoire.',
    insert: 'Insérer l’image',
    uploading: 'Envoi de l’image…',
    cancel: 'Annuler',
    failedTitle: 'L’image n’a pas été ajoutée',
  },
} as const;
