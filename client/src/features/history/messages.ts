/** Every sentence of the « Historique » panel (issue 11), in one place so it can be translated. */

import { VERSION_LABEL_MAX } from '@essaim/protocol';
import { statusButtonMessages } from '../editor/statusButtonMessages.js';

const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

export const historyMessages = {
  toggle: statusButtonMessages.history,
  toggleTitle: statusButtonMessages.historyTitle,
  panel: {
    title: 'Historique',
    close: 'Fermer l’historique',
    loading: 'Chargement des versions…',
    loadFailed: 'L’historique n’a pas pu être chargé.',
    codeFailed: 'Le panneau n’a pas pu être téléchargé : vérifiez la connexion, puis réessayez.',
    retry: 'Réessayer',
    empty: 'Aucune version pour l’instant. Une version est enregistrée automatiquement après une pause.',
    count: (n: number) => (n === 0 ? 'Aucune version' : plural(n, 'version', 'versions')),
    back: 'Retour à la liste des versions',
  },
  days: {
    today: 'Aujourd’hui',
    yesterday: 'Hier',
    unknown: 'Date inconnue',
  },
  version: {
    title: (n: number) => `Version ${n}`,
    titleWithLabel: (n: number, label: string) => `Version ${n} : ${label}`,
    at: (time: string) => `à ${time}`,
    authors: (names: string) => `Modifications de ${names}`,
    noAuthors: 'Aucune modification attribuée',
    createdBy: (name: string) => `Enregistrée par ${name}`,
    open: 'Voir',
    /** Read by screen readers inside « Voir » and « Comparer … au texte actuel »: which version. */
    which: (n: number) => ` la version ${n}`,
    compareStart: 'Comparer',
    compareEnd: ' au texte actuel',
    compareCurrent: 'Comparer au texte actuel',
    restore: 'Restaurer cette version',
    viewTitle: (n: number) => `Version ${n} (lecture seule)`,
    loading: 'Chargement de la version…',
    loadFailed: 'La version n’a pas pu être chargée.',
    unreadable: 'Le contenu de cette version ne peut pas être affiché.',
    contentLabel: (n: number) => `Texte de la version ${n}`,
    notesTitle: 'Notes',
    noteCall: (n: number) => `note ${n}`,
  },
  compare: {
    formTitle: 'Comparer deux versions',
    from: 'De',
    to: 'À',
    current: 'Texte actuel',
    submit: 'Comparer',
    same: 'Choisissez deux versions différentes.',
    option: (n: number, label: string | null, when: string) =>
      label ? `Version ${n} : ${label} (${when})` : `Version ${n} (${when})`,
    title: (from: number, to: number | null) =>
      to === null ? `Version ${from} → texte actuel` : `Version ${from} → version ${to}`,
    loading: 'Comparaison en cours…',
    loadFailed: 'La comparaison n’a pas pu être faite.',
    summary: (sections: number, changes: number) =>
      sections === 0
        ? 'Aucune différence dans le texte.'
        : `${plural(sections, 'section modifiée', 'sections modifiées')}, ${plural(changes, 'changement', 'changements')}`,
    changes: (n: number) => plural(n, 'changement', 'changements'),
    legendTitle: 'Légende',
    inserted: 'Texte ajouté',
    deleted: 'Texte supprimé',
    unknownAuthor: 'Auteur inconnu',
    insertedSr: 'Ajouté : ',
    deletedSr: 'Supprimé : ',
    by: (name: string) => ` (${name})`,
    insertedTitle: (name: string | null) => (name ? `Ajouté par ${name}` : 'Ajouté'),
    deletedTitle: (name: string | null) => (name ? `Supprimé par ${name}` : 'Supprimé'),
    paragraphBreak: 'saut de paragraphe',
    status: {
      changed: 'Modifiée',
      added: 'Ajoutée',
      removed: 'Supprimée',
      unchanged: 'Inchangée',
    },
    untitledSection: 'Section sans titre',
    titleLine: 'Titre : ',
    metadataTitle: 'Informations de la fiche modifiées',
    metadataEmpty: '(vide)',
    metadataFrom: 'Avant',
    metadataTo: 'Après',
    metadataField: 'Champ',
    unchangedSections: (n: number) => `Afficher les ${plural(n, 'section inchangée', 'sections inchangées')}`,
  },
  name: {
    open: 'Enregistrer une version',
    title: 'Enregistrer une version',
    label: 'Nom de la version',
    hint: `Par exemple : « Relue par le groupe le 12 mars ». ${VERSION_LABEL_MAX} caractères au plus.`,
    submit: 'Enregistrer',
    pending: 'Enregistrement…',
    cancel: 'Annuler',
    failedTitle: 'La version n’a pas été enregistrée',
    saved: (n: number) => `Version ${n} enregistrée.`,
  },
  restore: {
    title: (n: number) => `Restaurer la version ${n} ?`,
    body: (n: number, when: string) =>
      `Le texte du document redeviendra celui de la version ${n} (${when}), pour toutes les personnes qui l’ont ouvert. La restauration s’ajoute comme une nouvelle modification.`,
    keeps:
      'Le texte actuel reste dans l’historique : une version en est enregistrée avant la restauration, et vous pourrez y revenir.',
    confirm: 'Restaurer cette version',
    pending: 'Restauration en cours…',
    failed: 'La version n’a pas été restaurée.',
    done: (n: number) => `Version ${n} restaurée.`,
  },
  notice: {
    restored: (name: string, n: number) => `${name} a restauré la version ${n}.`,
    restoredByMe: (n: number) => `Vous avez restauré la version ${n}.`,
    close: 'Masquer le message',
  },
} as const;
