import type { DocumentReviewState, DraftReviewState } from '@essaim/domain';
import type { PublicationDto } from '@essaim/protocol';

/** What the publication status needs of the document's review (`DocumentReviewView` of the editor). */
export interface ReviewSummary {
  /** The state the server's last answer gives, read against the text in the editor. */
  state: DocumentReviewState;
  /** The draft's own state, live: `prete_a_publier` once every required section is approved and fresh. */
  draftState: DraftReviewState;
  /** The server's last answer: published, and the draft has moved since. */
  newVersionInProgress: boolean;
}

/** Where the document stands with the portal, as the editor shows it (issue 13). */
export interface PublicationStatus {
  /** The newest publication (visible or not); null: never published. */
  latest: PublicationDto | null;
  /** The document is on the portal (its publications are not hidden). */
  visible: boolean;
  /** The document's state as shown: `publiee` while on the portal, else the draft's own state. */
  state: DocumentReviewState;
  /** On the portal, and the draft has moved since the newest publication. */
  newVersionInProgress: boolean;
  /** The number the next publication gets. */
  nextNumber: number;
  /**
   * Publishing now makes sense: the draft is prête à publier, and either nothing was published or
   * the draft has moved since the newest visible publication. An unpublished document is
   * republished instead (its newest publication comes back).
   */
  publishable: boolean;
}

/**
 * The publication status from the document's review and its publications (newest first, as
 * `GET /api/documents/:id/publications` gives them).
 *
 * Whether the document is on the portal comes from the publications, which this page reads again
 * after each of its own actions. Whether the draft moved since comes from the server's review,
 * which is older than an action this page took since (`reviewOlderThanAction`): then the page has
 * just published, republished or unpublished, and the draft is taken as not moved until the
 * server answers again (it does as soon as a section's text changes).
 */
export function publicationStatus(
  review: ReviewSummary,
  publications: readonly PublicationDto[],
  reviewOlderThanAction: boolean,
): PublicationStatus {
  const latest = publications[0] ?? null;
  const visible = latest !== null && !latest.hidden;
  const newVersionInProgress =
    visible && !reviewOlderThanAction && review.state === 'publiee' && review.newVersionInProgress;
  const ready = review.draftState === 'prete_a_publier';
  return {
    latest,
    visible,
    state: visible ? 'publiee' : review.draftState,
    newVersionInProgress,
    nextNumber: (latest?.number ?? 0) + 1,
    publishable: ready && (latest === null || newVersionInProgress),
  };
}

/**
 * The document bar's state badges for a publication status: « Publiée (version N) » while on the
 * portal, else the draft's own state; the second badge when the draft moved on since.
 */
export function publishedStateLabel(
  status: PublicationStatus,
  labels: {
    states: Record<DocumentReviewState, string>;
    published: (n: number) => string;
    newVersion: string;
  },
): { state: DocumentReviewState; label: string; newVersionLabel: string | null } {
  return {
    state: status.state,
    label:
      status.visible && status.latest ? labels.published(status.latest.number) : labels.states[status.state],
    newVersionLabel: status.newVersionInProgress ? labels.newVersion : null,
  };
}
