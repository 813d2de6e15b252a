import type { DocumentKindName } from '@essaim/domain';

/** Every sentence of the metadata panel, in one place so it can be translated. */
export const metadataMessages = {
  panelTitle: {
    fiche: 'Informations de la fiche',
    synthese: 'Informations du document',
  } satisfies Record<DocumentKindName, string>,
  lead: 'Ces informations décrivent la pratique dans le catalogue. Elles sont enregistrées à chaque modification et partagées en direct avec les autres rédacteurs.',
  readOnly: 'Lecture seule : vous consultez ces informations sans pouvoir les modifier.',
  title: {
    label: 'Titre',
    hint: 'Le titre de la pratique, tel qu’il apparaît dans le catalogue.',
    required: 'Le titre est obligatoire : le titre précédent est conservé.',
  },
  themes: {
    legend: 'Thèmes',
    hint: 'Cochez les thèmes de l’espace que la pratique illustre.',
    loading: 'Chargement des thèmes…',
    failed: 'Les thèmes de l’espace n’ont pas pu être chargés.',
    retry: 'Réessayer',
    none: 'Aucun thème dans cet espace pour le moment.',
    archived: (label: string) => `${label} (thème archivé)`,
    archivedHint: 'Ce thème n’est plus proposé : décochez-le pour le retirer de la fiche.',
    unknown: (id: string) => `Thème « ${id} »`,
  },
  categorie: {
    legend: 'Catégorie de la pratique',
    hint: 'Selon la typologie du questionnaire du HCTS.',
    none: 'Non précisée',
  },
  territoire: {
    label: 'Territoire',
    hint: 'Le département, la région, ou « National » pour une pratique menée dans toute la France.',
    none: 'Non précisé',
    national: 'National',
    wholeRegion: (nom: string) => `${nom} (toute la région)`,
    loading: 'Chargement des territoires…',
    failed: 'La liste des territoires n’a pas pu être chargée.',
  },
  structure: {
    label: 'Structure porteuse',
    hint: 'Par exemple : Conseil départemental de l’Ardèche',
  },
  structureType: {
    label: 'Type de structure',
    none: 'Non précisé',
  },
  public: {
    label: 'Public concerné',
    hint: 'Les personnes à qui la pratique s’adresse, en quelques mots.',
  },
  annee: {
    label: 'Année de démarrage',
    hint: 'Quatre chiffres, par exemple : 2019',
    invalid: (min: number, max: number) => `Saisissez une année à quatre chiffres, entre ${min} et ${max}.`,
  },
  contact: {
    label: 'Contact',
    hint: 'Nom, fonction et adresse électronique ou téléphone d’une personne à joindre.',
  },
  motsCles: {
    label: 'Mots-clés',
    hint: 'Saisissez un mot-clé puis appuyez sur Entrée ou sur « Ajouter ».',
    add: 'Ajouter',
    remove: (word: string) => `Retirer le mot-clé « ${word} »`,
    listLabel: 'Mots-clés de la fiche',
    none: 'Aucun mot-clé pour le moment.',
    empty: 'Saisissez un mot-clé avant de l’ajouter.',
    tooLong: 'Un mot-clé compte 60 caractères au plus.',
    duplicate: (word: string) => `Le mot-clé « ${word} » figure déjà dans la liste.`,
    tooMany: 'Trente mots-clés au plus.',
    added: (word: string) => `Mot-clé « ${word} » ajouté.`,
    removed: (word: string) => `Mot-clé « ${word} » retiré.`,
  },
} as const;
