import { espaceLayoutMessages } from './layoutMessages.js';

/** Every sentence of the espaces, people and assignments pages, in one place. */
export const espacesMessages = {
  ...espaceLayoutMessages,

  // Espaces list (/espaces).
  listTitle: 'Espaces de travail',
  listLead: 'Les groupes de travail d’Essaim. Chaque espace a ses documents et ses personnes.',
  listLeadAdmin:
    'Tous les espaces de travail de cette instance. En tant qu’administrateur, vous les consultez et pouvez y gérer les personnes, sans modifier leurs documents.',
  listLoading: 'Chargement des espaces de travail…',
  listEmpty: 'Aucun espace de travail pour le moment.',
  noEspaceTitle: 'Vous ne faites partie d’aucun espace de travail',
  noEspaceText:
    'Pour rejoindre un groupe de travail, demandez une invitation à la personne qui l’anime : vous recevrez un lien à ouvrir.',
  yourRole: (role: string) => `Votre rôle : ${role}`,
  noRole: 'Vous n’avez pas de rôle dans cet espace',
  createEspaceTitle: 'Nouvel espace de travail',
  createEspaceIntro: 'Vous pourrez ensuite y inviter son animateur ou son animatrice.',
  espaceNameLabel: 'Nom de l’espace de travail',
  espaceNameHint: 'Par exemple : Pratiques émergentes — groupe Bretagne',
  espaceNameRequired: 'Indiquez le nom de l’espace de travail.',
  createEspaceSubmit: 'Créer l’espace',
  creatingEspace: 'Création en cours…',
  createEspaceErrorTitle: 'L’espace n’a pas été créé',
  espaceCreatedTitle: 'Espace créé',
  espaceCreated: (name: string) =>
    `L’espace « ${name} » est créé. Invitez-y son animateur depuis sa page « Personnes ».`,
  openPeople: (name: string) => `Inviter des personnes dans « ${name} »`,

  // People page.
  peopleTitle: 'Personnes et attributions',
  peopleLead: (name: string) =>
    `Les membres de l’espace « ${name} », leurs rôles et les documents qu’ils rédigent.`,
  membersTitle: 'Membres',
  membersCaption: (n: number) => `Membres de l’espace (${n})`,
  colName: 'Nom',
  colEmail: 'Adresse électronique',
  colRole: 'Rôle',
  colSince: 'Membre depuis',
  colActions: 'Actions',
  you: '(vous)',
  disabledBadge: 'Compte désactivé',
  roleSelectLabel: (name: string) => `Rôle de ${name}`,
  roleChanged: (name: string, role: string) => `Le rôle de ${name} est maintenant : ${role}.`,
  roleErrorTitle: 'Le rôle n’a pas été modifié',
  roleChangeTitle: 'Changer le rôle',
  roleChangeConfirm: (role: string) => `Passer en ${role.toLowerCase()}`,
  roleChangeLead: (name: string, from: string, to: string) => `${name} : ${from} → ${to}.`,
  roleChangeSelf: 'Vous changez votre propre rôle : vous perdrez peut-être l’accès à cette page.',
  roleBecomesMembre: (name: string) =>
    `${name} lira et commentera les documents de l’espace, sans pouvoir les modifier.`,
  roleKeepsAssignments: (count: number, titles: string) =>
    count === 1
      ? `Le document qui lui est attribué (${titles}) lui reste attribué, mais l’attribution est suspendue : elle redevient active si vous lui redonnez le rôle rapporteur ou animateur.`
      : `Les ${count} documents qui lui sont attribués (${titles}) lui restent attribués, mais les attributions sont suspendues : elles redeviennent actives si vous lui redonnez le rôle rapporteur ou animateur.`,
  roleNoAssignments: 'Aucun document ne lui est attribué.',
  roleBecomesRapporteur: (name: string) =>
    `${name} pourra créer des documents et rédiger ceux qui lui sont attribués ; les autres, en lecture.`,
  roleRestoresAssignments:
    'Les documents qui lui étaient attribués avant de passer membre lui sont de nouveau attribués.',
  roleBecomesAnimateur: (name: string) =>
    `${name} gérera les personnes et les invitations, attribuera les documents et pourra modifier tous les documents de l’espace.`,
  roleLeavesAnimateur: (name: string) =>
    `${name} ne gérera plus les personnes ni les attributions, et ne rédigera plus que les documents qui lui sont attribués.`,
  remove: 'Retirer',
  removeTitle: 'Retirer une personne de l’espace',
  removeText: (name: string, espace: string) =>
    `${name} n’aura plus accès à l’espace « ${espace} » ni à ses documents. Ses attributions sont retirées. Vous pourrez l’inviter à nouveau plus tard.`,
  removeConfirm: 'Retirer de l’espace',
  removed: (name: string) => `${name} a été retiré ou retirée de l’espace.`,
  removeErrorTitle: 'La personne n’a pas été retirée',

  invitationsTitle: 'Invitations en attente',
  invitationsCaption: 'Invitations envoyées et pas encore acceptées',
  invitationsEmpty: 'Aucune invitation en attente.',
  colExpires: 'Valable jusqu’au',
  revoke: 'Annuler l’invitation',
  revokeLabel: (email: string) => `Annuler l’invitation de ${email}`,
  revoked: (email: string) => `L’invitation de ${email} est annulée : son lien ne fonctionne plus.`,
  revokeErrorTitle: 'L’invitation n’a pas été annulée',

  inviteTitle: 'Inviter une personne',
  inviteIntro:
    'Essaim crée un lien d’invitation personnel, valable 14 jours. Transmettez-le à la personne (il lui est aussi envoyé par courriel si l’envoi est configuré).',
  inviteEmailLabel: 'Adresse électronique de la personne',
  inviteEmailHint: 'Format attendu : nom@domaine.fr',
  inviteRoleLabel: 'Rôle dans l’espace',
  emailRequired: 'Indiquez l’adresse électronique de la personne.',
  inviteSubmit: 'Créer l’invitation',
  inviting: 'Création de l’invitation…',
  inviteErrorTitle: 'L’invitation n’a pas été créée',
  invitationCreatedTitle: 'Invitation créée',
  invitationCreated: (email: string, role: string, until: string) =>
    `Invitation pour ${email} (${role}), valable jusqu’au ${until}. Copiez le lien et transmettez-le à cette personne.`,
  invitationLinkLabel: 'Lien d’invitation',

  assignmentsTitle: 'Attributions des documents',
  assignmentsLead:
    'Les rapporteurs attribués à un document le rédigent ; les autres personnes de l’espace le lisent. Les animateurs modifient tous les documents.',
  assignmentsCaption: 'Documents de l’espace et rapporteurs attribués',
  assignmentsEmpty: 'Aucun document dans cet espace pour le moment.',
  colDocument: 'Document',
  colAssignees: 'Rapporteurs attribués',
  colAssign: 'Attribuer',
  noAssignee: 'Personne',
  unassign: 'Retirer',
  unassignLabel: (name: string, title: string) => `Retirer l’attribution de ${name} pour « ${title} »`,
  assignSelectLabel: (title: string) => `Personne à attribuer à « ${title} »`,
  assignPlaceholder: 'Choisir une personne',
  assignSubmit: 'Attribuer',
  assignSubmitLabel: (title: string) => `Attribuer « ${title} »`,
  nobodyToAssign: 'Tous les rapporteurs sont attribués.',
  assigned: (name: string, title: string) => `${name} rédige maintenant « ${title} ».`,
  unassigned: (name: string, title: string) => `${name} ne rédige plus « ${title} ».`,
  assignErrorTitle: 'L’attribution n’a pas été modifiée',
  documentsLoading: 'Chargement des documents…',
} as const;
