/**
 * What the editor page loads right after its first drawing, in one chunk (one request, one
 * compression window): the metadata panel (« Informations de la fiche »), the threads panel,
 * « Historique », « Télécharger », the footnote, document-link and image dialogs and the review's
 * three dialogs (a step with its message, a section's changes, the journal) with their DSFR
 * modals, and the editing behaviour of tables and links and the comments' highlights
 * (`installLateBehaviour.ts`), the comments hook (`CommentsHost`, which feeds the highlights) and
 * the « Commenter » button. The page does not wait for it to show its text: what is drawn above
 * and inside the text (a section's menu and review header, the publication bar) is in a chunk of
 * its own, `textFrame.lazy.ts`, which the page waits for (issue 16: one chunk, the text waited for
 * all of this too). Asked for as soon as the editor page's chunk has run (`App.tsx`). Imported
 * only by `LazyPanels.tsx` and `lateBehaviour.ts`; see there why (issue 16, the editor's
 * JavaScript before its first drawing).
 */
export { CommentsHost } from '../comments/CommentsHost.js';
export { CommentsPanel } from '../comments/CommentsPanel.js';
export { SelectionCommentButton } from '../comments/SelectionCommentButton.js';
export { HistoryPanel } from '../history/HistoryPanel.js';
export { MetadataPanel } from '../metadata/MetadataPanel.js';
export { DownloadButton, DownloadDialog } from '../publication/DownloadDialog.js';
export { ReviewChangesDialog, changesModal } from '../review/ReviewChangesDialog.js';
export { ReviewJournalDialog, journalModal } from '../review/ReviewJournalDialog.js';
export { ReviewStepDialog, stepModal } from '../review/ReviewStepDialog.js';
export { DocRefDialog, docRefModal } from './DocRefDialog.js';
export { FootnoteDialog, footnoteModal } from './FootnoteDialog.js';
export { ImageDialog, imageModal } from './ImageDialog.js';
export { installLateBehaviour } from './installLateBehaviour.js';
export { runTableAction } from './tableBehaviour.js';
