/**
 * What the editor page loads right after its first drawing, in one chunk (one request, one
 * compression window): the threads panel, « Historique », « Télécharger », the publication bar
 * and the footnote, document-link and image dialogs with their DSFR modals, and the editing
 * behaviour of tables and links (`installLateBehaviour.ts`). Imported only by `LazyPanels.tsx` and
 * `lateBehaviour.ts`; see there why (issue 16, the editor's JavaScript before its first drawing).
 */
export { CommentsPanel } from '../comments/CommentsPanel.js';
export { HistoryPanel } from '../history/HistoryPanel.js';
export { DownloadButton, DownloadDialog } from '../publication/DownloadDialog.js';
export { PublicationBar } from '../publication/PublicationBar.js';
export { DocRefDialog, docRefModal } from './DocRefDialog.js';
export { FootnoteDialog, footnoteModal } from './FootnoteDialog.js';
export { ImageDialog, imageModal } from './ImageDialog.js';
export { installLateBehaviour } from './installLateBehaviour.js';
export { runTableAction } from './tableBehaviour.js';
