/**
 * The sentences of an espace's frame (`EspaceLayout.tsx`: loading, not found, refused), part of
 * every page's first drawing; the espaces pages' others stay in `messages.ts`, which spreads these,
 * loaded with those pages (the whole file cost every page 2 KB gzip, issue 16).
 */
export const espaceLayoutMessages = {
  loading: 'Chargement de l’espace de travail…',
  notFoundTitle: 'Espace de travail introuvable',
  notFoundCode: 'Erreur 404',
  notFoundLead: 'Cet espace de travail n’existe pas ou n’existe plus. Vérifiez l’adresse.',
  forbiddenTitle: 'Accès refusé',
  forbiddenCode: 'Erreur 403',
  forbiddenLead:
    'Vous n’êtes pas membre de cet espace de travail. Demandez à la personne qui l’anime de vous y inviter.',
  errorTitle: 'Une erreur est survenue',
  retry: 'Réessayer',
  home: 'Retour à l’accueil',
} as const;
