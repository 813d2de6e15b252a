import { lazy, Suspense, useEffect, type ComponentProps } from 'react';
import type { CommentsPanel } from '../comments/CommentsPanel.js';
import type { HistoryPanel } from '../history/HistoryPanel.js';
import type { DownloadDialog } from '../publication/DownloadDialog.js';
import type { PublicationBar } from '../publication/PublicationBar.js';
import type { DocRefDialog } from './DocRefDialog.js';
import type { FootnoteDialog } from './FootnoteDialog.js';
import type { ImageDialog } from './ImageDialog.js';

/*
 * The parts of the editor page its first drawing does not need (issue 16: the editor route's
 * JavaScript before its first drawing, ≤ 300 KB gzipped): the threads panel, the « Historique »
 * button and panel, the « Télécharger » button and dialog, the publication bar and the footnote,
 * document-link and image dialogs. They are one chunk (`panels.lazy.ts`), imported as the page
 * renders the editor (React.lazy starts the download at the first render): it is fetched while the
 * websocket syncs and is in the browser's cache before the person goes offline. Nothing is
 * drawn in their place meanwhile; none of them is above the text, so the text does not move when
 * they appear. What the first drawing needs stays static: the text, the comments' highlights
 * (comments/highlights.ts, fed by `prefetch.ts`), the toolbar, the sommaire and the review
 * headers.
 */

/** The one chunk of every part below (`panels.lazy.ts`): imported once, whichever part asks first. */
const loadPanels = () => import('./panels.lazy.js');

const CommentsPanelChunk = lazy(() => loadPanels().then((module) => ({ default: module.CommentsPanel })));
const HistoryPanelChunk = lazy(() => loadPanels().then((module) => ({ default: module.HistoryPanel })));
const DownloadButtonChunk = lazy(() => loadPanels().then((module) => ({ default: module.DownloadButton })));
const DownloadDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.DownloadDialog })));
const PublicationBarChunk = lazy(() => loadPanels().then((module) => ({ default: module.PublicationBar })));
const FootnoteDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.FootnoteDialog })));
const DocRefDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.DocRefDialog })));
const ImageDialogChunk = lazy(() => loadPanels().then((module) => ({ default: module.ImageDialog })));

/** The threads panel (right column), drawn once its chunk is here. */
export function LazyCommentsPanel(props: ComponentProps<typeof CommentsPanel>) {
  return (
    <Suspense fallback={null}>
      <CommentsPanelChunk {...props} />
    </Suspense>
  );
}

/** The « Historique » button and its panel. */
export function LazyHistoryPanel(props: ComponentProps<typeof HistoryPanel>) {
  return (
    <Suspense fallback={null}>
      <HistoryPanelChunk {...props} />
    </Suspense>
  );
}

/** The « Télécharger » button of the header. */
export function LazyDownloadButton() {
  return (
    <Suspense fallback={null}>
      <DownloadButtonChunk />
    </Suspense>
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

/** The publication bar, inside the document's review bar. */
export function LazyPublicationBar(props: ComponentProps<typeof PublicationBar>) {
  return (
    <Suspense fallback={null}>
      <PublicationBarChunk {...props} />
    </Suspense>
  );
}

/** The dialogs the toolbar and the text open, by name. */
export type EditorDialog = 'footnote' | 'docRef' | 'image';

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
