import { useId, useRef, type ReactNode } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentReviewState } from '@essaim/domain';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useHeldHeight } from '../../shared/useHeldHeight.js';
import { reviewMessages as m } from './messages.js';
import { NarrowDisclosure } from '../sections/NarrowDisclosure.js';
import { useReview } from './ReviewProvider.js';
import type { SectionReviews } from './useSectionReviews.js';
import './review.css';

const severity: Record<DocumentReviewState, 'info' | 'success' | 'new' | undefined> = {
  en_redaction: undefined,
  en_relecture: 'info',
  prete_a_publier: 'success',
  publiee: 'new',
};

/**
 * The document's state as its publication knows it (issue 13), shown instead of the review's own:
 * « Publiée (version 2) » at once after a publication made on this page, the draft's state after
 * an unpublication, « Une nouvelle version est en cours de rédaction » when the draft moved on.
 */
export interface PublishedStateLabel {
  state: DocumentReviewState;
  /** The badge's words (« Publiée (version 2) »). */
  label: string;
  /** The second badge's words, or null when the draft has not moved since the publication. */
  newVersionLabel: string | null;
}

/**
 * The document's review under its title (issue 12): its state as a badge (« En rédaction », « En
 * relecture », « Prête à publier », « Publiée », and « Une nouvelle version est en cours »), a
 * progress bar with its words (« 9 / 13 sections approuvées »: the bar is a `<progress>` labelled
 * by them, so it is not told by its length alone), « Soumettre toutes les sections » when the
 * person may submit at least one section, and « Journal de relecture ». `published` replaces the
 * state badges once the publication is known; `children` (the publication row) is drawn under
 * the rest, across the whole bar.
 */
export function DocumentReviewBar({
  reviews,
  published,
  pending = false,
  children,
}: {
  reviews: SectionReviews;
  published?: PublishedStateLabel | null;
  /**
   * Drawn with its content out of sight, as its frame (see PendingReviewBar), while what the bar
   * will hold is still on its way (the publication row, `children`: EditorPage).
   */
  pending?: boolean;
  children?: ReactNode;
}) {
  const api = useReview();
  const progressId = useId();
  const view = api?.view;
  // The mark of a saved answer goes when the server's comes: the line keeps its height.
  const statusRef = useRef<HTMLDivElement>(null);
  const held = useHeldHeight(statusRef, reviews.saved);
  if (reviews.state.status === 'error')
    return (
      <div className="essaim-review-bar">
        <CompactLoadFailed
          title={m.document.loadFailed}
          message={reviews.state.message}
          retryLabel={m.document.retry}
          onRetry={reviews.retry}
        />
      </div>
    );
  if (reviews.state.status === 'loading') return <PendingReviewBar />;
  if (!api || !view) return null;
  return (
    <section
      // Drawn, its content out of sight (as the frame's), until its publication row is drawn too.
      className={'essaim-review-bar' + (pending ? ' essaim-review-bar--pending' : '')}
      aria-label={m.document.label}
      inert={pending}
    >
      <div
        className="essaim-review-bar__status"
        data-review-bar-status
        tabIndex={-1}
        ref={statusRef}
        style={held}
      >
        <span className="fr-sr-only">{m.document.state}</span>
        <Badge as="span" small noIcon severity={severity[published?.state ?? view.state]}>
          {published?.label ?? m.documentStates[view.state]}
        </Badge>
        {(published ? published.newVersionLabel !== null : view.newVersionInProgress) && (
          <Badge as="span" small noIcon>
            {published?.newVersionLabel ?? m.newVersionInProgress}
          </Badge>
        )}
        <label htmlFor={progressId} className="essaim-review-bar__count" data-testid="review-progress">
          {m.document.progress(view.approved, view.total)}
        </label>
        <progress
          id={progressId}
          className="essaim-review-bar__progress"
          max={Math.max(view.total, 1)}
          value={view.approved}
        />
        {reviews.saved && <span className="essaim-review-bar__saved">{m.document.saved}</span>}
      </div>
      <NarrowDisclosure summary={m.document.actions} className="essaim-review-bar__fold">
        <div className="essaim-review-bar__actions">
          {view.submittable.length > 0 && (
            <button
              type="button"
              className={
                fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--secondary', 'fr-btn--icon-left') +
                ' fr-icon-send-plane-line'
              }
              // Drawn offline too (the bar keeps its size when the server answers), not taken.
              aria-disabled={reviews.saved || undefined}
              onClick={reviews.saved ? undefined : api.submitAll}
            >
              {m.document.submitAll}
            </button>
          )}
          <button
            type="button"
            className={
              fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--tertiary', 'fr-btn--icon-left') + ' fr-icon-article-line'
            }
            onClick={api.showJournal}
          >
            {m.document.journal}
          </button>
        </div>
        {children && <div className="essaim-review-bar__publication">{children}</div>}
      </NarrowDisclosure>
    </section>
  );
}

/**
 * The bar's place while the review is on its way: its frame, and its lines (a badge, « Journal de
 * relecture », folded on a phone as the bar is) drawn out of sight and out of the accessibility
 * tree, so that the bar fills a box of its own height instead of pushing the notice, the presence
 * and the text down by 74 px when it comes (layout shift 0.10 while a fiche opens, 2026-12-01).
 * While it is drawn, what is under the bar on the page is out of sight too (`review.css`): the bar
 * may come taller than its frame (a publication row), and would push it down.
 */
function PendingReviewBar() {
  return (
    <div className="essaim-review-bar essaim-review-bar--pending" aria-hidden="true" inert>
      <div className="essaim-review-bar__status">
        <Badge as="span" small noIcon>
          {m.documentStates.en_redaction}
        </Badge>
      </div>
      <NarrowDisclosure summary={m.document.actions} className="essaim-review-bar__fold">
        <div className="essaim-review-bar__actions">
          <span className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--tertiary')}>{m.document.journal}</span>
        </div>
      </NarrowDisclosure>
    </div>
  );
}
