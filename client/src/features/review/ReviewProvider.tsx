import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import type { ReviewEvent } from '@essaim/domain';
// The dialogs come with the editor's panels, right after the first drawing (issue 16); a click
// made before their chunk is here opens the dialog once it is.
import {
  LazyReviewChangesDialog,
  LazyReviewJournalDialog,
  LazyReviewStepDialog,
  openEditorDialog,
} from '../editor/LazyPanels.js';
import type { StepRequest } from './ReviewStepDialog.js';
import type { DocumentReviewView, SectionReviewView } from './liveReview.js';
import { reviewMessages as m } from './messages.js';
import type { SectionReviews } from './useSectionReviews.js';

/** What the section headers and the progress bar ask of the page's review. */
export interface ReviewApi {
  view: DocumentReviewView | null;
  /** `view` comes from the answer saved on this device (offline): marked so, no step taken. */
  saved: boolean;
  /** The step under way on each section (its button says « Envoi… »). */
  pending: ReadonlyMap<string, ReviewEvent>;
  /** The server's French refusal of the last step on each section, shown next to it. */
  errors: ReadonlyMap<string, string>;
  /**
   * A step asked from a section's button: « Soumettre » and « Demander des modifications » open
   * their dialog (an optional message, a required one); the others are sent at once.
   */
  step: (sectionId: string, action: ReviewEvent) => void;
  /** « Soumettre toutes les sections »: one dialog, one optional message for all. */
  submitAll: () => void;
  /** « Voir les modifications depuis l'approbation » of a section. */
  showChanges: (sectionId: string) => void;
  /** « Journal de relecture ». */
  showJournal: () => void;
}

const ReviewContext = createContext<ReviewApi | null>(null);

/** The review of the open document; null outside the editor page. */
export function useReview(): ReviewApi | null {
  return useContext(ReviewContext);
}

/** `[data-review-status="<id>"]`: the line of a section header that takes the focus after a step. */
export const reviewStatusSelector = (sectionId: string) => `[data-review-status="${CSS.escape(sectionId)}"]`;

/** The document's progress line, focused after « Soumettre toutes les sections ». */
export const REVIEW_BAR_STATUS = '[data-review-bar-status]';

/**
 * Focuses the first element matching `selector` once it is drawn (a section header is redrawn by
 * the editor's node view after the answer), trying for at most 20 frames.
 */
function focusWhenDrawn(selector: string, framesLeft = 20): void {
  requestAnimationFrame(() => {
    const element = document.querySelector<HTMLElement>(selector);
    if (element) element.focus();
    else if (framesLeft > 0) focusWhenDrawn(selector, framesLeft - 1);
  });
}

const withEntry = <T,>(map: ReadonlyMap<string, T>, id: string, value: T | null): ReadonlyMap<string, T> => {
  const next = new Map(map);
  if (value === null) next.delete(id);
  else next.set(id, value);
  return next;
};

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The review in the editor page (issue 12): the steps asked from the section headers and the
 * progress bar, their dialogs (submit with an optional message, request changes with a required
 * one, submit every section), the comparison since the approval, the « Journal de relecture ».
 *
 * Focus: a dialog takes it on its field and gives it back to the button that opened it when
 * cancelled; after a step, it goes to the section's status line (the button pressed is usually
 * gone: the steps offered change) and the result is spoken (`announce`); a refusal of a step sent
 * from a section's button is shown next to the section (`role="alert"`) and the focus stays on
 * the button; a refusal of a step sent from a dialog is shown in the dialog.
 */
export function ReviewProvider({
  reviews,
  announce,
  children,
}: {
  reviews: SectionReviews;
  announce: (message: string) => void;
  children: ReactNode;
}) {
  const { view, decide, documentId, saved } = reviews;
  const [pending, setPending] = useState<ReadonlyMap<string, ReviewEvent>>(new Map());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [request, setRequest] = useState<StepRequest | null>(null);
  const [changesOf, setChangesOf] = useState<SectionReviewView | null>(null);
  const [journalOpened, setJournalOpened] = useState(0);
  /** The button that opened a dialog: the focus goes back to it when the dialog is cancelled. */
  const opener = useRef<HTMLElement | null>(null);
  /** Where the focus goes once the step dialog is hidden, after a step it sent. */
  const focusAfterDialog = useRef<string | null>(null);
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  });
  const titleOf = useCallback(
    (sectionId: string) => viewRef.current?.byId.get(sectionId)?.title || m.untitled,
    [],
  );

  /** Sends one step; resolves with the server's refusal, or null once done and announced. */
  const send = useCallback(
    async (sectionId: string, action: ReviewEvent, message?: string): Promise<string | null> => {
      setPending((p) => withEntry(p, sectionId, action));
      setErrors((e) => withEntry(e, sectionId, null));
      try {
        await decide(sectionId, action, message);
        announce(m.done[action](titleOf(sectionId)));
        return null;
      } catch (error) {
        return messageOf(error);
      } finally {
        setPending((p) => withEntry(p, sectionId, null));
      }
    },
    [decide, announce, titleOf],
  );

  const remember = () => {
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  };

  const step = useCallback(
    (sectionId: string, action: ReviewEvent) => {
      if (action === 'submit' || action === 'request_changes') {
        remember();
        focusAfterDialog.current = null;
        setRequest({ kind: action, sections: [{ id: sectionId, title: titleOf(sectionId) }] });
        openEditorDialog('reviewStep');
        return;
      }
      void send(sectionId, action).then((failure) => {
        if (failure) setErrors((e) => withEntry(e, sectionId, failure));
        else focusWhenDrawn(reviewStatusSelector(sectionId));
      });
    },
    [send, titleOf],
  );

  const submitAll = useCallback(() => {
    const sections = (viewRef.current?.submittable ?? []).map((s) => ({
      id: s.id,
      title: s.title || m.untitled,
    }));
    if (sections.length === 0) return;
    remember();
    focusAfterDialog.current = null;
    setRequest({ kind: 'submit_all', sections });
    openEditorDialog('reviewStep');
  }, []);

  const showChanges = useCallback((sectionId: string) => {
    remember();
    setChangesOf(viewRef.current?.byId.get(sectionId) ?? null);
    openEditorDialog('reviewChanges');
  }, []);

  const showJournal = useCallback(() => {
    remember();
    setJournalOpened((n) => n + 1);
    openEditorDialog('reviewJournal');
  }, []);

  /** The dialog's step, for each of its sections; resolves with the refusals (none: it closes). */
  const sendRequest = async (current: StepRequest, message: string) => {
    const action: ReviewEvent = current.kind === 'request_changes' ? 'request_changes' : 'submit';
    const refusals: { title: string; reason: string }[] = [];
    for (const section of current.sections) {
      const failure = await send(section.id, action, message);
      if (failure) refusals.push({ title: section.title, reason: failure });
    }
    if (current.kind === 'submit_all') announce(m.submittedAll(current.sections.length - refusals.length));
    if (refusals.length === 0)
      focusAfterDialog.current =
        current.kind === 'submit_all' || !current.sections[0]
          ? REVIEW_BAR_STATUS
          : reviewStatusSelector(current.sections[0].id);
    return refusals;
  };

  const afterDialog = () => {
    const target = focusAfterDialog.current;
    focusAfterDialog.current = null;
    if (target) return focusWhenDrawn(target);
    giveFocusBack();
  };

  const giveFocusBack = () => {
    const target = opener.current;
    opener.current = null;
    if (target?.isConnected) target.focus();
  };

  const api = useMemo<ReviewApi>(
    () => ({ view, saved, pending, errors, step, submitAll, showChanges, showJournal }),
    [view, saved, pending, errors, step, submitAll, showChanges, showJournal],
  );

  return (
    <ReviewContext.Provider value={api}>
      {children}
      <LazyReviewStepDialog request={request} onSend={sendRequest} onClosed={afterDialog} />
      <LazyReviewChangesDialog documentId={documentId} section={changesOf} onClosed={giveFocusBack} />
      <LazyReviewJournalDialog documentId={documentId} opened={journalOpened} onClosed={giveFocusBack} />
    </ReviewContext.Provider>
  );
}
