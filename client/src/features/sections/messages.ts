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
    requiredHint: 'Section obligatoire du modèle : elle ne peut pas être supprimée.',
    lastHint: 'Le document garde au moins une section.',
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
  },
  outline: {
    title: 'Sommaire',
    empty: 'à rédiger',
    emptyLong: 'section à rédiger',
    none: 'Ce document n’a pas encore de sections.',
    progress: (written: number, total: number) =>
      total === 0
        ? ''
        : `${written} section${written > 1 ? 's' : ''} rédigée${written > 1 ? 's' : ''} sur ${total}`,
  },
} as const;
