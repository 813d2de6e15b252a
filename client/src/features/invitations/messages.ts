/** Every sentence of the invitation page, in one place. */
export const invitationMessages = {
  checking: 'Vérification de l’invitation…',
  title: (espace: string) => `Rejoindre l’espace « ${espace} »`,
  documentTitle: 'Invitation',
  lead: (email: string, role: string) =>
    `Vous êtes invité ou invitée avec l’adresse ${email}, comme ${role}.`,
  roleMeaning: (description: string) => `Dans cet espace, ce rôle ${description}.`,
  newAccountIntro: 'Pour accepter, choisissez le nom affiché aux autres personnes et votre mot de passe.',
  accept: 'Accepter l’invitation',
  join: 'Rejoindre l’espace',
  accepting: 'Acceptation en cours…',
  acceptErrorTitle: 'L’invitation n’a pas été acceptée',
  existingTitle: 'Vous avez déjà un compte',
  loggedInTitle: 'Vous êtes déjà connecté',
  existingLoggedOut: (email: string) =>
    `Un compte Essaim existe déjà pour ${email}. Connectez-vous avec ce compte : vous reviendrez ensuite sur cette page pour rejoindre l’espace.`,
  existingLoggedIn: (name: string) => `Vous êtes connecté en tant que ${name}. Rejoignez l’espace d’un clic.`,
  wrongAccount: (name: string, email: string) =>
    `Vous êtes connecté en tant que ${name}, mais cette invitation est destinée à ${email}. Déconnectez-vous, puis connectez-vous avec le compte de ${email}.`,
  wrongAccountNew: (name: string, email: string) =>
    `Vous êtes connecté en tant que ${name}. Accepter cette invitation crée un autre compte, pour ${email}, et vous connecte avec lui.`,
  login: 'Se connecter',
  switchAccount: 'Se déconnecter puis se connecter',
  notFoundTitle: 'Invitation introuvable',
  goneTitle: 'Cette invitation n’est plus valable',
  code404: 'Erreur 404',
  code410: 'Invitation utilisée, expirée ou annulée',
  askAgain:
    'Si vous avez besoin d’une nouvelle invitation, demandez-la à la personne qui anime l’espace de travail.',
  errorTitle: 'Une erreur est survenue',
  retry: 'Réessayer',
  home: 'Aller à l’accueil',
} as const;
