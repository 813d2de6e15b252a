import { sessionMessages } from './sessionMessages.js';

/** Every sentence of logging in, first run, forgotten and new passwords, in one place. */
export const authMessages = {
  ...sessionMessages,
  backHome: 'Retour à l’accueil',

  // Fields shared by several forms.
  emailLabel: 'Adresse électronique',
  emailHint: 'Format attendu : nom@domaine.fr',
  passwordLabel: 'Mot de passe',
  newPasswordLabel: 'Mot de passe',
  newPasswordHint: (min: number) =>
    `Au moins ${min} caractères. Une phrase de plusieurs mots est facile à retenir et difficile à deviner.`,
  confirmPasswordLabel: 'Confirmation du mot de passe',
  confirmPasswordHint: 'Saisissez le même mot de passe une seconde fois.',
  nameLabel: 'Nom et prénom',
  nameHint: 'Tel qu’il apparaîtra aux autres personnes de l’espace, par exemple « Amélie Durand ».',
  requiredIntro: 'Tous les champs sont obligatoires.',
  emailRequired: 'Indiquez votre adresse électronique.',
  passwordRequired: 'Indiquez votre mot de passe.',
  nameRequired: 'Indiquez votre nom.',
  passwordRule: (min: number) => `au moins ${min} caractères`,
  passwordTooShort: (min: number) => `Le mot de passe doit compter au moins ${min} caractères.`,
  passwordsDiffer: 'Les deux mots de passe ne sont pas identiques.',

  // Login.
  loginTitle: 'Connexion à Essaim',
  loginLead: 'Connectez-vous avec l’adresse électronique et le mot de passe de votre compte.',
  loggingIn: 'Connexion en cours…',
  loginErrorTitle: 'Connexion impossible',
  forgotLink: 'Mot de passe oublié ?',
  noAccount:
    'Pas encore de compte ? Les comptes sont créés sur invitation : demandez-en une à la personne qui anime votre groupe de travail.',
  demoTitle: 'Mode démonstration',
  demoText:
    'Cette instance d’Essaim est une démonstration : les données qu’elle contient sont fictives et peuvent être effacées à tout moment.',
  demoAccountsLead:
    'Choisissez un compte pour découvrir Essaim selon le rôle de chacun dans le groupe de travail.',
  demoAccountsCaption: 'Comptes de démonstration',
  demoColAccount: 'Compte',
  demoColCredentials: 'Identifiants',
  demoEmailPrefix: 'Adresse électronique :',
  demoPasswordPrefix: 'Mot de passe :',
  demoUseAccount: 'Utiliser ce compte',
  demoUseAccountLabel: (role: string, name: string) => `Utiliser ce compte : ${role}, ${name}`,
  demoFilled: (name: string) =>
    `Formulaire rempli avec le compte de ${name}. Appuyez sur « Se connecter » pour continuer.`,
  sessionEndedTitle: 'Votre session a pris fin',
  sessionEndedText: 'Reconnectez-vous pour continuer : vous reviendrez à la page que vous consultiez.',
  signedOutTitle: 'Vous êtes déconnecté',
  signedOutText: 'Les copies des documents gardées dans ce navigateur ont été effacées.',
  passwordChangedTitle: 'Mot de passe modifié',
  passwordChangedText: 'Connectez-vous avec votre nouveau mot de passe.',
  returnNotice: 'Après la connexion, vous reviendrez à la page demandée.',

  // First run.
  setupTitle: 'Première installation',
  setupLead:
    'Bienvenue sur Essaim. Créez le compte de l’administrateur ou de l’administratrice de cette instance, puis le premier espace de travail, dont vous serez l’animateur.',
  setupAccountLegend: 'Votre compte d’administration',
  setupEspaceLegend: 'Le premier espace de travail',
  espaceNameLabel: 'Nom de l’espace de travail',
  espaceNameHint: 'Par exemple : Pratiques émergentes — groupe Ardèche',
  espaceNameRequired: 'Indiquez le nom de l’espace de travail.',
  setupSubmit: 'Créer le compte et l’espace',
  settingUp: 'Création en cours…',
  setupErrorTitle: 'L’installation n’a pas abouti',

  // Forgotten password.
  forgotTitle: 'Mot de passe oublié',
  forgotLead:
    'Indiquez l’adresse électronique de votre compte. Si l’envoi de courriels est configuré sur cette instance, vous recevrez un lien pour choisir un nouveau mot de passe.',
  forgotAdminHelp:
    'Sans envoi de courriels, l’administrateur ou l’administratrice d’Essaim peut créer pour vous un lien de réinitialisation depuis la page « Administration » et vous le transmettre.',
  forgotSubmit: 'Demander un lien',
  forgotSending: 'Envoi de la demande…',
  forgotSentTitle: 'Demande enregistrée',
  forgotNoEmailTitle: 'Pas d’envoi de courriel sur cette instance',
  forgotErrorTitle: 'La demande n’a pas abouti',
  backToLogin: 'Retour à la connexion',

  // Reset with a link.
  resetTitle: 'Choisir un nouveau mot de passe',
  resetLead: (email: string) => `Nouveau mot de passe pour le compte ${email}.`,
  resetSessionsNote: 'Vos autres sessions ouvertes seront fermées.',
  resetSubmit: 'Enregistrer le mot de passe',
  resetSaving: 'Enregistrement…',
  resetErrorTitle: 'Le mot de passe n’a pas été modifié',
  checkingLink: 'Vérification du lien…',
  linkNotFoundTitle: 'Lien introuvable',
  linkGoneTitle: 'Ce lien n’est plus valable',
  linkErrorCode404: 'Erreur 404',
  linkErrorCode410: 'Lien expiré ou déjà utilisé',
  askNewLink:
    'Demandez un nouveau lien avec « Mot de passe oublié », ou à l’administrateur ou l’administratrice d’Essaim.',

  // Header.
} as const;
