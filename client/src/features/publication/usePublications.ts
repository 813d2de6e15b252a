import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PublicationDto } from '@essaim/protocol';
import { useSavedAnswer, type AnswerStore } from '../../shared/savedAnswers.js';
import { useLoad, type Loadable } from '../../shared/useLoad.js';
import { listPublications } from './api.js';
import { readSavedPublicationsLater } from '../editor/LazyPanels.js';
import { publicationStatus, type PublicationStatus, type ReviewSummary } from './publicationStatus.js';

/** The publications of the open document and what the page does with them. */
export interface Publications {
  /** Every publication, newest first (loading, failed with a French reason, or there). */
  state: Loadable<PublicationDto[]>;
  /** `state` is the last answer saved on this device, the server being unreachable. */
  saved: boolean;
  /** Where the document stands with the portal; null until both the review and the list are there. */
  status: PublicationStatus | null;
  retry: () => void;
  /**
   * Records an action this page took (`publicationActions.ts`: publish, unpublish, republish):
   * the list as `change` leaves it, until the server is asked again.
   */
  acted: (change: (list: PublicationDto[]) => PublicationDto[]) => void;
}

/**
 * Loads the document's publications (`GET /api/documents/:id/publications`) and derives its
 * status with the portal from them and the review (`publicationStatus`).
 *
 * `reviewAnswer` is the server's latest review summary of the document (the `review` object of
 * `GET /api/documents/:id/sections`, kept by identity: a review step leaves it as it is, a new
 * reading replaces it). Each new reading also reads the publications again, for a publication
 * someone else made meanwhile. After an action of this page, until the next reading, the server's
 * « moved since the publication » is older than the action and is not believed.
 */
export function usePublications({
  documentId,
  review,
  reviewAnswer,
  localCopy,
  userId,
}: {
  documentId: string;
  review: ReviewSummary | null;
  reviewAnswer: object | null;
  /** The document's local copy, where the last answer is saved for an offline opening. */
  localCopy: AnswerStore | null;
  userId: string;
}): Publications {
  const loaded = useLoad((signal) => listPublications(documentId, signal), [documentId]);
  const { reload, update } = loaded;
  const shown = useSavedAnswer(
    localCopy,
    'publications',
    userId,
    loaded.state,
    loaded.unreachable,
    readSavedPublicationsLater,
  );
  const [actedOn, setActedOn] = useState<object | null>(null);

  // A new reading of the review (a step, someone's edit, a reconnection): the list again.
  const seen = useRef(reviewAnswer);
  useEffect(() => {
    if (seen.current === reviewAnswer) return;
    const first = seen.current === null;
    seen.current = reviewAnswer;
    if (!first) reload();
  }, [reviewAnswer, reload]);

  const answerRef = useRef(reviewAnswer);
  useEffect(() => {
    answerRef.current = reviewAnswer;
  });

  const acted = useCallback(
    (change: (list: PublicationDto[]) => PublicationDto[]) => {
      setActedOn(answerRef.current);
      update(change);
    },
    [update],
  );

  const list = shown.state.status === 'ready' ? shown.state.value : null;
  const status = useMemo(
    () =>
      review && list ? publicationStatus(review, list, actedOn !== null && actedOn === reviewAnswer) : null,
    [review, list, actedOn, reviewAnswer],
  );

  return { state: shown.state, saved: shown.saved, status, retry: loaded.retry, acted };
}
