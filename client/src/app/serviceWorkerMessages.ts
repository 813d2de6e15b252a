/** What the page says about a new version of the application (issue 16), in French. */
export const serviceWorkerMessages = {
  updateTitle: 'Une nouvelle version d’Essaim est disponible',
  updateDescription:
    'Elle s’installe quand vous rechargez la page. Le texte des documents est conservé ; terminez d’abord un commentaire ou un formulaire en cours.',
  reload: 'Recharger',
  later: 'Plus tard',
  laterTitle: 'Masquer cet avis ; la nouvelle version s’installera au prochain chargement de la page',
} as const;
