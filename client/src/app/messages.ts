/** Sentences of the application shell (header, footer, generic pages). */
export const appMessages = {
  brandTop: ['République', 'Française'] as const,
  serviceTitle: 'Essaim',
  serviceTagline: 'Pratiques émergentes du travail social : la base de connaissances collaborative du HCTS',
  homeLinkTitle: 'Accueil — Essaim, base de connaissances du Haut Conseil du travail social',
  navDocuments: 'Documents',
  navPeople: 'Personnes',
  navThemes: 'Thèmes',
  // Here, not in the pages' own messages: the header of every page would download all of those.
  navSignals: 'Signalements de reprise',
  navReviewQueue: 'Relecture',
  navAdmin: 'Administration',
  // The bell's word drawn until its chunk is here (the same as comments/messages.ts `button`).
  notificationsPlaceholder: 'Notifications',
  navAllEspaces: 'Tous les espaces',
  navEspaces: 'Espaces de travail',
  navEspaceSwitcher: (name: string) => `Espace : ${name}`,
  skipToContent: 'Contenu',
  skipToFooter: 'Pied de page',
  footerDescription:
    'Essaim permet aux groupes de travail du Haut Conseil du travail social (HCTS) de rédiger ensemble, en temps réel, les fiches de pratiques émergentes et leur synthèse, puis de les essaimer.',
  loadingPage: 'Chargement de la page…',
  notFoundTitle: 'Page non trouvée',
  notFoundCode: 'Erreur 404',
  notFoundLead:
    'La page que vous cherchez est introuvable. Vérifiez l’adresse saisie, ou revenez à l’accueil.',
  backHome: 'Retour à l’accueil',
  chunkErrorTitle: 'La page n’a pas pu être chargée',
  chunkErrorLead:
    'Une partie de l’application n’a pas pu être téléchargée, peut-être à cause d’une coupure de réseau ou d’une mise à jour. Rechargez la page pour réessayer.',
  reload: 'Recharger la page',
  accessibilityTitle: 'Accessibilité',
  accessibilityStatus: 'Accessibilité : non conforme',
  accessibilityText:
    'Essaim vise la conformité au RGAA 4.1 (niveau AA des WCAG 2.1). Le service est en cours de construction et n’a pas encore fait l’objet d’un audit : il est donc déclaré non conforme en attendant. Les composants utilisés sont ceux du Système de design de l’État (DSFR) et chaque écran est vérifié automatiquement.',
  accessibilityContact:
    'Si vous rencontrez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou à une fonctionnalité, signalez-le à l’équipe du HCTS qui anime votre groupe de travail.',
} as const;
