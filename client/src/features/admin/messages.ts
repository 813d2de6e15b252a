/** Every sentence of the administration page, in one place. */
export const adminMessages = {
  title: 'Administration',
  lead: 'Les comptes de cette instance d’Essaim, ses espaces de travail et le journal des opérations sensibles.',
  forbiddenTitle: 'Accès réservé',
  forbiddenCode: 'Erreur 403',
  forbiddenLead: 'Cette page est réservée à l’administrateur ou à l’administratrice d’Essaim.',
  home: 'Retour à l’accueil',
  retry: 'Réessayer',
  loadErrorTitle: 'Impossible d’afficher cette partie',

  usersTitle: 'Comptes',
  usersLoading: 'Chargement des comptes…',
  usersCaption: (n: number) => `Comptes de l’instance (${n})`,
  colName: 'Nom',
  colEmail: 'Adresse électronique',
  colStatus: 'Statut',
  colCreated: 'Créé le',
  colActions: 'Actions',
  you: '(vous)',
  adminBadge: 'Administration',
  activeBadge: 'Actif',
  disabledBadge: 'Désactivé',
  disable: 'Désactiver',
  enable: 'Réactiver',
  disableLabel: (name: string) => `Désactiver le compte de ${name}`,
  enableLabel: (name: string) => `Réactiver le compte de ${name}`,
  resetLink: 'Lien de réinitialisation',
  resetLinkLabel: (name: string) => `Lien de réinitialisation du mot de passe pour ${name}`,
  disableTitle: 'Désactiver un compte',
  disableText: (name: string) =>
    `${name} ne pourra plus se connecter et ses sessions ouvertes sont fermées aussitôt, documents compris. Ses rôles et ses contributions sont conservés ; vous pourrez réactiver le compte.`,
  disableConfirm: 'Désactiver le compte',
  enableTitle: 'Réactiver un compte',
  enableText: (name: string) => `${name} pourra de nouveau se connecter, avec ses rôles d’avant.`,
  enableConfirm: 'Réactiver le compte',
  disabled: (name: string) => `Le compte de ${name} est désactivé.`,
  enabled: (name: string) => `Le compte de ${name} est réactivé.`,
  actionErrorTitle: 'L’opération n’a pas abouti',
  resetCreatedTitle: 'Lien de réinitialisation créé',
  resetCreated: (name: string, until: string) =>
    `Transmettez ce lien à ${name} par un moyen sûr. Il permet de choisir un nouveau mot de passe une seule fois, jusqu’au ${until}.`,
  resetFieldLabel: (name: string) => `Lien de réinitialisation pour ${name}`,

  espacesTitle: 'Espaces de travail',
  espacesLink: 'Voir tous les espaces de travail',

  auditTitle: 'Journal d’audit',
  auditLead:
    'Connexions, comptes, rôles, invitations et attributions : qui a fait quoi, et quand. Les plus récents d’abord.',
  auditLoading: 'Chargement du journal…',
  auditCaption: 'Opérations enregistrées, des plus récentes aux plus anciennes',
  auditEmpty: 'Le journal est vide.',
  colDate: 'Date',
  colActor: 'Auteur',
  colAction: 'Action',
  colTarget: 'Cible',
  colDetails: 'Détails',
  colIp: 'Adresse IP',
  nobody: 'Personne (non connecté)',
  unknownPerson: 'Compte supprimé',
  older: 'Plus anciens',
  loadingOlder: 'Chargement…',
  olderLoaded: (n: number) =>
    n === 0
      ? 'Aucune entrée plus ancienne.'
      : n === 1
        ? '1 entrée plus ancienne affichée.'
        : `${n} entrées plus anciennes affichées.`,
  endOfLog: 'Début du journal atteint.',
} as const;

/** French names of the audit actions (server/src/services/auditService.ts `AuditAction`). */
export const auditActionLabels: Record<string, string> = {
  setup: 'Première installation',
  'login.success': 'Connexion',
  'login.failure': 'Échec de connexion',
  'login.rate_limited': 'Connexion bloquée (trop de tentatives)',
  logout: 'Déconnexion',
  'user.create': 'Création d’un compte',
  'user.disable': 'Désactivation d’un compte',
  'user.enable': 'Réactivation d’un compte',
  'espace.create': 'Création d’un espace',
  'member.role': 'Changement de rôle',
  'member.remove': 'Retrait d’un membre',
  'document.assign': 'Attribution d’un document',
  'document.unassign': 'Retrait d’une attribution',
  'invitation.create': 'Création d’une invitation',
  'invitation.revoke': 'Annulation d’une invitation',
  'invitation.accept': 'Invitation acceptée',
  'password_reset.create': 'Lien de réinitialisation créé',
  'password_reset.use': 'Mot de passe réinitialisé',
};

export const auditWords = {
  target: {
    user: 'Compte',
    espace: 'Espace',
    document: 'Document',
  } as Record<string, string>,
  detail: {
    email: 'adresse',
    role: 'rôle',
    espaceId: 'espace',
    userId: 'personne',
    reason: 'motif',
    admin: 'administration',
    name: 'nom',
    key: 'limite',
  } as Record<string, string>,
  roleChange: (from: string, to: string) => `rôle : ${from} → ${to}`,
  noRole: 'aucun',
  yes: 'oui',
  no: 'non',
  reasons: {
    password: 'mot de passe erroné',
    unknown: 'compte inconnu',
    disabled: 'compte désactivé',
  } as Record<string, string>,
  keys: { email: 'par compte', ip: 'par adresse IP' } as Record<string, string>,
  separator: ' ; ',
};
