import {
  lockedSectionLabel,
  reviewEventLabels,
  sectionReviewStateLabels,
  staleApprovalLabel,
} from '@essaim/domain';
import { plural, reviewMessages } from './messages.js';

/**
 * Every sentence of the review in the editor (issue 12): those of the first drawing
 * (messages.ts) and those of the section headers and the dialogs, which come with them after the
 * first drawing (issue 16: the editor's first JavaScript).
 */
export const reviewPanelMessages = {
  ...reviewMessages,
  states: sectionReviewStateLabels,
  events: reviewEventLabels,
  stale: staleApprovalLabel,
  /** The stale approval's badge on a phone, for the eyes (the whole words stay for screen readers). */
  staleShort: 'Modifiée',
  locked: lockedSectionLabel,
  section: {
    label: (title: string) => `Relecture de la section « ${title} »`,
    /** Said after the state of a section drawn from this device's saved answer (offline). */
    saved: ' (état enregistré sur cet appareil)',
    actionsLabel: (title: string) => `Actions de relecture de la section « ${title} »`,
    submittedBy: (name: string, when: string) => `Soumise par ${name} le ${when}`,
    approvedBy: (name: string, when: string) => `Approuvée par ${name} le ${when}`,
    changesRequestedBy: (name: string, when: string) => `Modifications demandées par ${name} le ${when}`,
    lockedBy: (name: string, when: string) => `Verrouillée par ${name} le ${when}`,
    someone: 'une personne dont le compte n’existe plus',
    message: 'Message : ',
    request: 'Demande : ',
    lockReason: 'Section verrouillée par l’animateur : elle ne peut plus être modifiée.',
    /** On a phone, the state's button that shows who took the last step and when. */
    details: (state: string, title: string) => `${state} : qui et quand, section « ${title} »`,
    showChanges: 'Voir les modifications depuis l’approbation',
    showChangesTitle: (title: string) =>
      `Voir les modifications depuis l’approbation de la section « ${title} »`,
    pending: 'Envoi…',
    failed: 'Action refusée : ',
  },
  /** The button of each step for one section, with the section's name for screen readers. */
  buttonTitle: {
    submit: (title: string) => `Soumettre la section « ${title} » à l’animateur`,
    approve: (title: string) => `Approuver la section « ${title} »`,
    request_changes: (title: string) => `Demander des modifications sur la section « ${title} »`,
    lock: (title: string) => `Verrouiller la section « ${title} »`,
    unlock: (title: string) => `Déverrouiller la section « ${title} »`,
  },
  dialog: {
    submitTitle: (title: string) => `Soumettre la section « ${title} »`,
    submitAllTitle: 'Soumettre toutes les sections',
    submitAllBody: (n: number) =>
      `${plural(n, 'section sera soumise', 'sections seront soumises')} à l’animateur :`,
    submitIntro: 'L’animateur sera prévenu et pourra approuver la section ou y demander des modifications.',
    requestTitle: (title: string) => `Demander des modifications sur « ${title} »`,
    requestIntro:
      'Votre demande est envoyée aux rapporteurs du document et ouvre une discussion sur la section.',
    messageLabel: 'Message (facultatif)',
    messageHint: 'Ce que l’animateur doit savoir, par exemple ce qui a changé depuis la dernière relecture.',
    requestLabel: 'Modifications demandées',
    requestHint: 'Expliquez ce qu’il faut changer. 10 000 caractères au plus.',
    requestRequired: 'Expliquez les modifications demandées dans un message.',
    submit: 'Soumettre',
    submitAll: (n: number) => (n > 1 ? `Soumettre les ${n} sections` : 'Soumettre la section'),
    request: 'Envoyer la demande',
    cancel: 'Annuler',
    pending: 'Envoi…',
    failedTitle: 'La demande n’a pas abouti',
    partialTitle: 'Certaines sections n’ont pas été soumises',
    partial: (title: string, reason: string) => `« ${title} » : ${reason}`,
  },
  changes: {
    title: (title: string) => `Modifications depuis l’approbation : « ${title} »`,
    intro: (name: string | null, when: string | null) =>
      name && when
        ? `Texte approuvé par ${name} le ${when}, comparé au texte actuel.`
        : 'Texte approuvé, comparé au texte actuel.',
    loading: 'Comparaison en cours…',
    loadFailed: 'La comparaison n’a pas pu être faite.',
    none: 'Aucune différence avec le texte approuvé.',
    close: 'Fermer',
    notInDiff: 'Cette section n’apparaît pas dans la comparaison.',
  },
  journal: {
    title: 'Journal de relecture',
    caption: 'Décisions de relecture, de la plus ancienne à la plus récente',
    headers: ['Date', 'Section', 'Action', 'État avant', 'État après', 'Par', 'Message'],
    empty: 'Aucune décision n’a encore été prise sur ce document.',
    loading: 'Chargement du journal…',
    loadFailed: 'Le journal n’a pas pu être chargé.',
    retry: 'Réessayer',
    csv: 'Exporter en CSV',
    csvTitle: 'Exporter le journal de relecture en CSV (tableur)',
    close: 'Fermer',
    unknownActor: 'Compte supprimé',
  },
} as const;
