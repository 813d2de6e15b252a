/**
 * The sentences of the session in every page's frame (`Layout.tsx`, `session.tsx`: loading, the
 * account, signing out, unsent changes), part of every page's first drawing; the login, setup and
 * password pages' others stay in `messages.ts`, which spreads these, loaded with those pages (the
 * whole file cost every page 2 KB gzip, issue 16).
 */
export const sessionMessages = {
  loadingApp: 'Chargement d’Essaim…',
  unreachableTitle: 'Essaim est injoignable',
  unreachableLead:
    'Le serveur ne répond pas et ce navigateur ne garde aucune session ouverte. Vérifiez votre connexion puis réessayez.',
  retry: 'Réessayer',
  loginSubmit: 'Se connecter',
  signOut: 'Se déconnecter',
  signingOut: 'Déconnexion en cours…',
  signOutErrorTitle: 'La déconnexion n’a pas abouti',
  unsentTitle: 'Des modifications ne sont pas encore enregistrées',
  unsentText:
    'Des modifications faites dans ce navigateur n’ont pas encore été reçues par le serveur (connexion perdue ou lente). En vous déconnectant maintenant, vous les effacez avec les copies locales. Attendez que la pastille indique « Enregistré », ou déconnectez-vous quand même.',
  unsentConfirm: 'Se déconnecter quand même',
  unsentCancel: 'Rester connecté',
  accountPrefix: 'Compte connecté :',
} as const;
