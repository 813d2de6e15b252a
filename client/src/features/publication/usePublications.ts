import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PublicationDto } from '@essaim/protocol';
import { useLoad, type Loadable } from '../../shared/useLoad.js';
import { listPublications, publishDocument, setPublicationHidden } from './api.js';
import {
  publicationStatus,
  withAction,
  type PublicationStatus,
  type ReviewSummary,
} from './publicationStatus.js';

/** The publications of the open document and what the page does with them. */
export interface Publications {
  /** Every publication, newest first (loading, failed with a French reason, or there). */
  state: Loadable<PublicationDto[]>;
  /** Where the document stands with the portal; null until both the review and the list are there. */
  status: PublicationStatus | null;
  retry: () => void;
  /** Publishes the document as it stands on the server; rejects with the server's `ApiError`. */
  publish: () => Promise<PublicationDto>;
  /** Unpublishes (`true`) or republishes (`false`) the whole document; rejects with the server's `ApiError`. */
  setHidden: (hidden: boolean) => Promise<PublicationDto>;
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
}: {
  documentId: string;
  review: ReviewSummary | null;
  reviewAnswer: object | null;
}): Publications {
  const loaded = useLoad((signal) => listPublications(documentId, signal), [documentId]);
  const { reload, update } = loaded;
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

  const publish = useCallback(async () => {
    const publication = await publishDocument(documentId);
    setActedOn(answerRef.current);
    update((list) => withAction(list, { kind: 'published', publication }));
    return publication;
  }, [documentId, update]);

  const setHidden = useCallback(
    async (hidden: boolean) => {
      const list = loaded.state.status === 'ready' ? loaded.state.value : [];
      const target = list[0];
      if (!target) throw new Error('Ce document n’a jamais été publié.');
      const publication = await setPublicationHidden(target.id, hidden);
      setActedOn(answerRef.current);
      update((current) => withAction(current, { kind: 'hidden', hidden: publication.hidden }));
      return publication;
    },
    [loaded.state, update],
  );

  const list = loaded.state.status === 'ready' ? loaded.state.value : null;
  const status = useMemo(
    () =>
      review && list ? publicationStatus(review, list, actedOn !== null && actedOn === reviewAnswer) : null,
    [review, list, actedOn, reviewAnswer],
  );

  return { state: loaded.state, status, retry: loaded.retry, publish, setHidden };
}
