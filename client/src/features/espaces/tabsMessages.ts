/**
 * The words of the espace's tabs (`EspaceLayout`). Kept apart from `messages.ts` while another
 * change edits it; they can move there.
 */
export const espaceTabsMessages = {
  tabsLabel: (name: string) => `Rubriques de l’espace « ${name} »`,
  tabDocuments: 'Documents',
  tabPeople: 'Personnes',
  tabThemes: 'Thèmes',
} as const;
