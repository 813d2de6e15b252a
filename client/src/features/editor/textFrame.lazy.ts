/**
 * The parts of the editor page drawn above and inside the text that are not in its first drawing,
 * in one chunk: each section's menu and review header, the publication bar; and reading back the
 * answers saved with the local copy for an offline opening (`shared/savedAnswers.ts`). The page
 * shows its text once they are here, so that it does not move after it appears
 * (`pageSettling.ts`): the server's `Link` header preloads this chunk with the page's
 * (server/src/http/staticClientPreload.ts).
 *
 * Apart from the rest of what comes after the first drawing (`panels.lazy.ts`: the panels, the
 * dialogs, the comments, table editing), which the text does not wait for: nothing of it is drawn
 * before it is asked for, or it has its place kept (the metadata panel's header, « Historique »,
 * « Télécharger »). One chunk, the text waited for all of it: ≈ 80 KB with its static imports and
 * stylesheets, on the first visit's line of issue 16 (1.6 Mbit/s) about 0.45 s more before the
 * text. Imported only by `LazyPanels.tsx`.
 */
export { PublicationBar } from '../publication/PublicationBar.js';
export { readSavedPublications } from '../publication/savedPublications.js';
export { SectionReviewHeader } from '../review/SectionReviewHeader.js';
export { readSavedReview } from '../review/savedReview.js';
export { SectionMenu } from '../sections/SectionMenu.js';
