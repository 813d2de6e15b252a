import { lazy, Suspense, useEffect, useLayoutEffect, useRef, useState, type ComponentProps } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { metadataMessages } from '../metadata/messages.js';
import { statusButtonMessages } from './statusButtonMessages.js';
import type { MetadataPanel } from '../metadata/MetadataPanel.js';
import type { CommentsHost } from '../comments/CommentsHost.js';
import type { SelectionCommentButton } from '../comments/SelectionCommentButton.js';
import type { Comments } from '../comments/useComments.js';
import type { HistoryPanel } from '../history/HistoryPanel.js';
import type { DownloadDialog } from '../publication/DownloadDialog.js';
import type { PublicationBar } from '../publication/PublicationBar.js';
import type { ReviewChangesDialog } from '../review/ReviewChangesDialog.js';
import type { ReviewJournalDialog } from '../review/ReviewJournalDialog.js';
import type { ReviewStepDialog } from '../review/ReviewStepDialog.js';
import type { SectionReviewHeader } from '../review/SectionReviewHeader.js';
import type { SectionMenu } from '../sections/SectionMenu.js';
import type { DocRefDialog } from './DocRefDialog.js';
import type { FootnoteDialog } from './FootnoteDialog.js';
import type { ImageDialog } from './ImageDialog.js';
import type * as TextFrameModule from './textFrame.lazy.js';
import type { AnswerStore } from '../../shared/savedAnswers.js';

/*
 * The parts of the editor page its first drawing does not need (issue 16: the editor route's
 * JavaScript before its first drawing, ≤ 300 KB gzipped): the metadata panel, the threads panel,
 * the « Historique » button and panel, the « Télécharger » button and dialog, the footnote, document-link and image dialogs and the review's dialogs (a step, a section's
 * changes, the journal: `review/ReviewProvider.tsx` renders them through this module). They are
 * one chunk (`panels.lazy.ts`), asked for as soon as the editor page's chunk has run (`App.tsx`):
 * it is fetched while the websocket syncs and is in the browser's cache before the person goes
 * offline. Only the metadata panel is above the text: its closed
 * header, of the same height, is drawn meanwhile, so the text does not move when the panel
 * appears; nothing is drawn in the place of the others. A click made before the chunk is here
 * is not lost (the header remembers it; the dialogs open once mounted). The comments travel in
 * the same chunk: their hook (`CommentsHost`), the « Commenter » button of a selection, and the
 * highlights, whose plugin joins the running editor with the tables and links
 * (`installLateBehaviour.ts`) and draws the threads asked for when the page opened
 * (`comments/prefetch.ts`); until then no word is highlighted, the sommaire shows no thread counts
 * and the sections no « Commenter » action (the list itself is often still on its way). What the
 * first drawing needs stays static: the text, the toolbar and the sommaire.
 *
 * Each section's menu and review header and the publication bar, drawn above and inside the text,
 * are in a chunk of their own (`textFrame.lazy.ts`), which the page waits for before it shows its
 * text ({@link useLateChunkSettled}) and the server preloads with the page: the header waits for
 * the review's answer anyway (it draws nothing before), and the menu is a button beside the
 * section's title that Tab reaches from the text. The page does not wait for the panels' chunk:
 * until 2026-12-02 both were one chunk, and the text waited for all of it (≈ 80 KB with its
 * static imports and stylesheets, about 0.45 s on the first visit's line of issue 16).
 */

/**
 * The chunk of the panels, dialogs and comments (`panels.lazy.ts`): imported once, whichever part
 * asks first.
 */
const loadPanels = () => import('./panels.lazy.js');

/** The module of the parts around the text once it is here (what {@link useTextFrame} gives). */
let textFrame: typeof TextFrameModule | null = null;

/** The chunk of the parts drawn above and inside the text: imported once, whichever asks first. */
const loadTextFrame = () =>
  import('./textFrame.lazy.js').then((module) => {
    textFrame = module;
    return module;
  });

/**
 * The chunk's module, or null until it is here (then the component renders again). Without
 * Suspense, for the parts each section draws: a `React.lazy` part mounted for the first time
 * suspends once even when its chunk is already here, and React shows suspended content again
 * only after a throttle (about 300 ms), so each section's review header came 140–210 ms after the
 * text was shown and pushed it down by 104–184 px (tester BR28).
 */
function useTextFrame(): typeof textFrame {
  const [module, setModule] = useState(textFrame);
  useEffect(() => {
    if (module) return;
    let live = true;
    loadTextFrame().then(
      (loaded) => {
        if (live) setModule(loaded);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [module]);
  return module;
}

/**
 * Asks for the chunk of the parts below now, without waiting for a part to be drawn: called once
 * the editor page's chunk has run (`App.tsx`), so that the chunk comes while that code runs and the
 * text syncs, which the page waits for anyway (issue 16). A failure is left to the parts, which
 * ask again and settle ({@link useLateChunkSettled}).
 */
export function startLoadingLatePanels(): void {
  loadPanels().catch(() => undefined);
}

/**
 * Whether the chunk of the parts drawn above and inside the text (`textFrame.lazy.ts`) is here, or
 * failed to come (offline without it in the cache): false until then. Asks for it, as the first of
 * those parts drawn would. Not the panels' chunk, which the text does not wait for.
 */
export function useLateChunkSettled(): boolean {
  const [settled, setSettled] = useState(textFrame !== null);
  useEffect(() => {
    let live = true;
    const settle = () => {
      if (live) setSettled(true);
    };
    loadTextFrame().then(settle, settle);
    return () => {
      live = false;
    };
  }, []);
  return settled;
}

/**
 * The sections' review saved with the document's local copy (`shared/savedAnswers.ts`), read by
 * the chunk of the parts around the text: only an offline opening needs it, and the page waits
 * for that chunk anyway.
 */
export const readSavedReviewLater = (store: AnswerStore, userId: string) =>
  loadTextFrame().then((module) => module.readSavedReview(store, userId));

/** The publications saved with the document's local copy, read as {@link readSavedReviewLater}. */
export const readSavedPublicationsLater = (store: AnswerStore, userId: string) =>
  loadTextFrame().then((module) => module.readSavedPublications(store, userId));

const MetadataPanelChunk = lazy(() => loadPanels().then((module) => ({ default: module.MetadataPanel })));
const CommentsHostChunk = lazy(() => loadPanels().then((module) => ({ default: module.CommentsHost })));
const CommentsPanelChunk = lazy(() => loadPanels().then((module) => ({ default: module.CommentsPanel })));
const SelectionCommentButtonChunk = lazy(() =>
  loadPanels().then((module) => ({ default: module.SelectionCommentButton })),
);
const HistoryPanelChunk = lazy(() => loadPanels().then((module) => ({ default: module.HistoryPanel })));
const DownloadButtonChunk = lazy(() => loadPanels().then((module) => ({ default: module.DownloadButton })));
const DownloadDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.DownloadDialog })));
const FootnoteDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.FootnoteDialog })));
const DocRefDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.DocRefDialog })));
const ImageDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.ImageDialog })));
const ReviewStepDialogChunk = lazy(() =>
  loadPanels().then((module) => ({ default: module.ReviewStepDialog })),
);
const ReviewChangesDialogChunk = lazy(() =>
  loadPanels().then((module) => ({ default: module.ReviewChangesDialog })),
);
const ReviewJournalDialogChunk = lazy(() =>
  loadPanels().then((module) => ({ default: module.ReviewJournalDialog })),
);

/**
 * The header of « Informations de la fiche » drawn until the panel's chunk is here, as the
 * panel's closed accordion draws it (react-dsfr `Accordion`: same classes and height, so the
 * text below does not move when the panel replaces it). A click toggles `expanded`, which the
 * panel opens with; `focused` says whether this button had the focus when it was replaced.
 */
function MetadataPanelHeader({
  label,
  expanded,
  onToggle,
  focused,
}: {
  label: string;
  expanded: boolean;
  onToggle: () => void;
  focused: { current: boolean };
}) {
  const button = useRef<HTMLButtonElement>(null);
  // Read as the header leaves the page (before its button is removed and loses the focus).
  useLayoutEffect(
    () => () => {
      focused.current = button.current !== null && document.activeElement === button.current;
    },
    [focused],
  );
  return (
    <section className={`${fr.cx('fr-accordion')} essaim-metadata`}>
      <h2 className={fr.cx('fr-accordion__title')}>
        <button
          ref={button}
          type="button"
          className={fr.cx('fr-accordion__btn')}
          aria-expanded={expanded}
          onClick={onToggle}
        >
          {label}
        </button>
      </h2>
    </section>
  );
}

/**
 * « Informations de la fiche » (above the text): its closed header at once, the panel once its
 * chunk is here, opened and focused if the header was clicked meanwhile (no click is lost).
 */
export function LazyMetadataPanel(
  props: Omit<ComponentProps<typeof MetadataPanel>, 'defaultExpanded' | 'focusToggle'>,
) {
  const [expanded, setExpanded] = useState(false);
  const focused = useRef(false);
  return (
    <Suspense
      fallback={
        <MetadataPanelHeader
          label={metadataMessages.panelTitle[props.kind]}
          expanded={expanded}
          onToggle={() => setExpanded((open) => !open)}
          focused={focused}
        />
      }
    >
      <MetadataPanelChunk {...props} defaultExpanded={expanded} focusToggle={focused} />
    </Suspense>
  );
}

/** The comments hook, once its chunk is here; it hands its value to `onComments`. */
export function LazyCommentsHost(props: ComponentProps<typeof CommentsHost>) {
  return (
    <Suspense fallback={null}>
      <CommentsHostChunk {...props} />
    </Suspense>
  );
}

/** The threads panel (right column), drawn once its chunk and the comments hook are here. */
export function LazyCommentsPanel({ comments }: { comments: Comments | null }) {
  return comments ? (
    <Suspense fallback={null}>
      <CommentsPanelChunk comments={comments} />
    </Suspense>
  ) : null;
}

/** « Commenter » next to the selected words, once the comments hook is here. */
export function LazySelectionCommentButton({
  comments,
  ...props
}: Omit<ComponentProps<typeof SelectionCommentButton>, 'comments'> & { comments: Comments | null }) {
  return comments ? (
    <Suspense fallback={null}>
      <SelectionCommentButtonChunk {...props} comments={comments} />
    </Suspense>
  ) : null;
}

/** A section's menu (« Actions de la section »), in the section's node view (see {@link useTextFrame}). */
export function LazySectionMenu(props: ComponentProps<typeof SectionMenu>) {
  const module = useTextFrame();
  return module ? <module.SectionMenu {...props} /> : null;
}

/** A section's review header, in the section's node view (see {@link useTextFrame}). */
export function LazySectionReviewHeader(props: ComponentProps<typeof SectionReviewHeader>) {
  const module = useTextFrame();
  return module ? <module.SectionReviewHeader {...props} /> : null;
}

/** The « Historique » button and its panel. */
export function LazyHistoryPanel(props: ComponentProps<typeof HistoryPanel>) {
  return (
    <Suspense
      fallback={
        <div className="essaim-history-bar">
          <StatusButtonPlace icon="ri-history-line" label={statusButtonMessages.history} />
        </div>
      }
    >
      <HistoryPanelChunk {...props} />
    </Suspense>
  );
}

/** The « Télécharger » button of the header. */
export function LazyDownloadButton() {
  return (
    <Suspense
      fallback={<StatusButtonPlace icon="fr-icon-download-line" label={statusButtonMessages.download} />}
    >
      <DownloadButtonChunk />
    </Suspense>
  );
}

/**
 * The place of a status-row button until its chunk comes: the same DSFR classes, so the same size
 * on every screen, unseen and out of the accessibility tree. With nothing there, the row grew by
 * both buttons once they came and, on a phone, where it stands at the right of the breadcrumb,
 * moved the connection badge 84 px to the left (tester F7).
 */
function StatusButtonPlace({ icon, label }: { icon: string; label: string }) {
  return (
    <span
      className={`fr-btn fr-btn--sm fr-btn--secondary fr-btn--icon-left ${icon} essaim-status-button--place`}
      aria-hidden="true"
    >
      <span className="essaim-status-button__label">{label}</span>
    </span>
  );
}

/** The « Télécharger le document » dialog. */
export function LazyDownloadDialog(props: ComponentProps<typeof DownloadDialog>) {
  return (
    <Suspense fallback={null}>
      <DownloadDialogChunk {...props} />
    </Suspense>
  );
}

/**
 * The publication bar, inside the document's review bar, drawn in the render its chunk arrives
 * (without Suspense: see {@link useTextFrame}; through `React.lazy` it came 0.3–0.5 s after the bar
 * and grew it under the person's eyes, tester BR38 F1). `onDrawn` is called once it is drawn, row
 * or nothing (the review bar keeps its frame until then: EditorPage).
 */
export function LazyPublicationBar({
  onDrawn,
  ...props
}: ComponentProps<typeof PublicationBar> & { onDrawn?: () => void }) {
  const module = useTextFrame();
  useLayoutEffect(() => {
    if (module) onDrawn?.();
  }, [module, onDrawn]);
  return module ? <module.PublicationBar {...props} /> : null;
}

/**
 * Whether the chunk of the parts drawn above and inside the text came (false before, and when it
 * failed to come).
 */
export const lateChunkLoaded = (): boolean => textFrame !== null;

/** The dialogs the toolbar, the text and the review open, by name. */
export type EditorDialog = 'footnote' | 'docRef' | 'image' | 'reviewStep' | 'reviewChanges' | 'reviewJournal';

/** A promise per dialog, settled once that dialog is in the page (its DSFR modal can then open). */
const mounted = new Map<EditorDialog, { promise: Promise<void>; resolve: () => void }>();

function mountSlot(name: EditorDialog): { promise: Promise<void>; resolve: () => void } {
  let slot = mounted.get(name);
  if (!slot) {
    let resolve = () => {};
    const promise = new Promise<void>((settle) => {
      resolve = settle;
    });
    slot = { promise, resolve };
    mounted.set(name, slot);
  }
  return slot;
}

/** Rendered beside a dialog in the same Suspense boundary: its effect runs once the dialog is mounted. */
function MountedSignal({ name }: { name: EditorDialog }) {
  useEffect(() => {
    mountSlot(name).resolve();
    return () => {
      mounted.delete(name);
    };
  }, [name]);
  return null;
}

const modals: Record<EditorDialog, () => Promise<{ open: () => void }>> = {
  footnote: () => loadPanels().then((module) => module.footnoteModal),
  docRef: () => loadPanels().then((module) => module.docRefModal),
  image: () => loadPanels().then((module) => module.imageModal),
  reviewStep: () => loadPanels().then((module) => module.stepModal),
  reviewChanges: () => loadPanels().then((module) => module.changesModal),
  reviewJournal: () => loadPanels().then((module) => module.journalModal),
};

/**
 * Opens one of the editor's dialogs: at once when it is in the page, else as soon as its chunk
 * has arrived and it is mounted (a click made while the page is still loading is not lost).
 */
export function openEditorDialog(name: EditorDialog): void {
  void mountSlot(name)
    .promise.then(modals[name])
    .then((modal) => modal.open());
}

/** The footnote dialog (insert, change or remove a note). */
export function LazyFootnoteDialog(props: ComponentProps<typeof FootnoteDialog>) {
  return (
    <Suspense fallback={null}>
      <FootnoteDialogChunk {...props} />
      <MountedSignal name="footnote" />
    </Suspense>
  );
}

/** « Lier une autre fiche ». */
export function LazyDocRefDialog(props: ComponentProps<typeof DocRefDialog>) {
  return (
    <Suspense fallback={null}>
      <DocRefDialogChunk {...props} />
      <MountedSignal name="docRef" />
    </Suspense>
  );
}

/** « Insérer une image ». */
export function LazyImageDialog(props: ComponentProps<typeof ImageDialog>) {
  return (
    <Suspense fallback={null}>
      <ImageDialogChunk {...props} />
      <MountedSignal name="image" />
    </Suspense>
  );
}

/** The review's dialog of a step that takes a message (submit, request changes, submit all). */
export function LazyReviewStepDialog(props: ComponentProps<typeof ReviewStepDialog>) {
  return (
    <Suspense fallback={null}>
      <ReviewStepDialogChunk {...props} />
      <MountedSignal name="reviewStep" />
    </Suspense>
  );
}

/** « Voir les modifications » of a section under review. */
export function LazyReviewChangesDialog(props: ComponentProps<typeof ReviewChangesDialog>) {
  return (
    <Suspense fallback={null}>
      <ReviewChangesDialogChunk {...props} />
      <MountedSignal name="reviewChanges" />
    </Suspense>
  );
}

/** The review's journal of the document. */
export function LazyReviewJournalDialog(props: ComponentProps<typeof ReviewJournalDialog>) {
  return (
    <Suspense fallback={null}>
      <ReviewJournalDialogChunk {...props} />
      <MountedSignal name="reviewJournal" />
    </Suspense>
  );
}
