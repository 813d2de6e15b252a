import { documentReviewStateLabels, newVersionInProgressLabel } from '@essaim/domain';

/** « 1 section soumise », « 3 sections soumises »: `n` and the word for its number. */
export const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;

/**
 * The sentences of the review the editor's first drawing shows (issue 12): the document's review
 * bar and what the section steps say once done. The others, of the section headers and the
 * dialogs, come with them after the first drawing (panelMessages.ts; issue 16). The names of
 * states and steps come from packages/domain, shared with the server's CSV.
 */
export const reviewMessages = {
  documentStates: documentReviewStateLabels,
  newVersionInProgress: newVersionInProgressLabel,
  untitled: 'Section sans titre',
  done: {
    submit: (title: string) => `Section « ${title} » soumise à l’animateur.`,
    approve: (title: string) => `Section « ${title} » approuvée.`,
    request_changes: (title: string) => `Modifications demandées sur la section « ${title} ».`,
    lock: (title: string) => `Section « ${title} » verrouillée.`,
    unlock: (title: string) => `Section « ${title} » déverrouillée.`,
  },
  document: {
    label: 'Relecture du document',
    progress: (approved: number, total: number) =>
      `${approved} / ${total} ${total > 1 ? 'sections approuvées' : 'section approuvée'}`,
    progressLabel: 'Sections approuvées',
    state: 'État : ',
    submitAll: 'Soumettre toutes les sections',
    journal: 'Journal de relecture',
    actions: 'Relecture et publication',
    loadFailed: 'L’état de la relecture n’a pas pu être chargé.',
    /** The review drawn from this device's saved answer, the server being unreachable. */
    saved: 'État enregistré sur cet appareil',
    retry: 'Réessayer',
  },
  submittedAll: (n: number) =>
    n === 0
      ? 'Aucune section soumise.'
      : `${plural(n, 'section soumise', 'sections soumises')} à l’animateur.`,
  notice: {
    close: 'Masquer le message',
    refusedLocked: (title: string) =>
      title.trim()
        ? `La section « ${title.trim()} » est verrouillée par l’animateur : elle ne peut plus être modifiée.`
        : 'Section verrouillée par l’animateur : elle ne peut plus être modifiée.',
  },
} as const;
