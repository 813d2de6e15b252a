/**
 * What the editor page loads right after its first drawing, in one chunk (one request, one
 * compression window): the metadata panel (« Informations de la fiche »), the threads panel, « Historique », « Télécharger », the publication bar,
 * the footnote, document-link and image dialogs and the review's three dialogs (a step with its
 * message, a section's changes, the journal) with their DSFR modals, and the editing
 * behaviour of tables and links and the comments' highlights (`installLateBehaviour.ts`), the
 * comments hook (`CommentsHost`, which feeds the highlights) and the « Commenter » button, a
 * section's menu and its review header (drawn in each section); reading back the answers saved
 * with the local copy for an offline opening (`shared/savedAnswers.ts`). Imported only by `LazyPanels.tsx` and
 * `lateBehaviour.ts`; see there why (issue 16, the editor's JavaScript before its first drawing).
 */
export { CommentsHost } from '../comments/CommentsHost.js';
export { CommentsPanel } from '../comments/CommentsPanel.js';
export { SelectionCommentButton } from '../comments/SelectionCommentButton.js';
export { HistoryPanel } from '../history/HistoryPanel.js';
export { MetadataPanel } from '../metadata/MetadataPanel.js';
export { DownloadButton, DownloadDialog } from '../publication/DownloadDialog.js';
export { PublicationBar } from '../publication/PublicationBar.js';
export { readSavedPublications } from '../publication/savedPublications.js';
export { ReviewChangesDialog, changesModal } from '../review/ReviewChangesDialog.js';
export { ReviewJournalDialog, journalModal } from '../review/ReviewJournalDialog.js';
export { ReviewStepDialog, stepModal } from '../review/ReviewStepDialog.js';
export { SectionReviewHeader } from '../review/SectionReviewHeader.js';
export { readSavedReview } from '../review/savedReview.js';
export { SectionMenu } from '../sections/SectionMenu.js';
export { DocRefDialog, docRefModal } from './DocRefDialog.js';
export { FootnoteDialog, footnoteModal } from './FootnoteDialog.js';
export { ImageDialog, imageModal } from './ImageDialog.js';
export { installLateBehaviour } from './installLateBehaviour.js';
export { runTableAction } from './tableBehaviour.js';
