/** Sentences of the shared components. */
export const sharedMessages = {
  copy: 'Copier le lien',
  copied: 'Lien copié dans le presse-papiers.',
  copyFailed: 'La copie automatique a échoué : le lien est sélectionné, copiez-le avec Ctrl+C.',
  cancel: 'Annuler',
} as const;
