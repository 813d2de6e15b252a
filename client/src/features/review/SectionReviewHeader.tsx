import { useState } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { fr } from '@codegouvfr/react-dsfr';
import type { ReviewEvent, SectionReviewState } from '@essaim/domain';
import { formatDate } from '../../shared/dates.js';
import { decisionLines, offeredSteps, type DecisionLine } from './liveReview.js';
import { reviewPanelMessages as m } from './panelMessages.js';
import { useMediaQuery } from '../sections/NarrowDisclosure.js';
import { useReview } from './ReviewProvider.js';
import './review.css';

/** The width below which the header is one line and who took the last step is folded (review.css). */
const PHONE_SCREEN = '(max-width: 47.99em)';

const severity: Record<SectionReviewState, 'info' | 'success' | 'warning' | undefined> = {
  brouillon: undefined,
  soumise: 'info',
  approuvee: 'success',
  modifications_demandees: 'warning',
};

/** The DSFR badge's class of each state, for the state drawn as a button on a phone. */
const badgeClass: Record<SectionReviewState, string> = {
  brouillon: '',
  soumise: 'fr-badge--info',
  approuvee: 'fr-badge--success',
  modifications_demandees: 'fr-badge--warning',
};

/** Icon of each step's button (literal class names: the build keeps only the icons it finds). */
const icons: Record<ReviewEvent, string> = {
  submit: 'fr-icon-send-plane-line',
  approve: 'fr-icon-check-line',
  request_changes: 'fr-icon-edit-line',
  lock: 'fr-icon-lock-line',
  unlock: 'fr-icon-lock-unlock-line',
};

function lineText(line: DecisionLine): string {
  const name = line.by?.name ?? m.section.someone;
  const when = formatDate(line.at);
  switch (line.kind) {
    case 'submitted':
      return m.section.submittedBy(name, when);
    case 'approved':
      return m.section.approvedBy(name, when);
    case 'changes_requested':
      return m.section.changesRequestedBy(name, when);
    case 'locked':
      return m.section.lockedBy(name, when);
  }
}

/**
 * The review part of a section's header (issue 12), outside the editable text: the state as a
 * DSFR badge (Brouillon, Soumise, Approuvée, Modifications demandées), « Modifiée depuis
 * l'approbation » and « Verrouillée » when they apply, the step that brought it there and who took
 * it, the message that came with it, the reason a locked section cannot be written, and the
 * buttons of the steps the server says the person may take now (never derived from roles here),
 * with « Voir les modifications depuis l'approbation » when the text has changed since.
 *
 * `tabbable`: whether the buttons are in the tab order (for writers, only the section holding the
 * caret, as its menu: Tab from the text reaches them; a second Tab leaves the document).
 */
export function SectionReviewHeader({ sectionId, tabbable }: { sectionId: string; tabbable: boolean }) {
  const api = useReview();
  // On a phone, who took the last step shows once the state is tapped, or pressed with the keyboard
  // (review.css).
  const [details, setDetails] = useState(false);
  const phone = useMediaQuery(PHONE_SCREEN);
  const section = api?.view?.byId.get(sectionId);
  if (!api || !section) return null;
  const { review } = section;
  const title = section.title || m.untitled;
  const steps = offeredSteps(review);
  const pending = api.pending.get(sectionId);
  const error = api.errors.get(sectionId);
  const message = review.state === 'brouillon' ? null : review.message;
  const tabIndex = tabbable ? 0 : -1;
  const lines = decisionLines(review);
  return (
    <div
      className={
        'essaim-review' +
        (review.locked ? ' essaim-review--locked' : '') +
        (api.saved ? ' essaim-review--saved' : '')
      }
      contentEditable={false}
      role="group"
      aria-label={m.section.label(title)}
      data-review-state={review.state}
    >
      {/* No <p> here: a section's paragraphs are its text's (tests and tools find them so). */}
      <div
        className="essaim-review__status"
        data-review-status={sectionId}
        data-details={details ? '' : undefined}
        tabIndex={-1}
        // A tap anywhere on the state's line; the keyboard's Enter or Space on the state's button
        // below comes here too (its click bubbles up).
        onClick={() => setDetails((shown) => !shown)}
      >
        {phone && lines.length > 0 ? (
          // The state as a button drawn as the DSFR's badge (no child element: Tiptap's node view
          // lets the editor take a click on a button's child), in the tab order like the header's
          // other buttons: tapping was the only way to see who took the last step (tester).
          <button
            type="button"
            tabIndex={tabIndex}
            className={`fr-badge fr-badge--sm fr-badge--no-icon ${badgeClass[review.state]} essaim-review__state-button`}
            aria-expanded={details}
            aria-label={m.section.details(m.states[review.state], title)}
          >
            {m.states[review.state]}
          </button>
        ) : (
          <Badge as="span" small noIcon severity={severity[review.state]}>
            {m.states[review.state]}
          </Badge>
        )}
        {api.saved && <span className="fr-sr-only">{m.section.saved}</span>}
        {section.stale && (
          <Badge as="span" small noIcon severity="new" className="essaim-review__stale" data-review-stale="">
            {/* On a phone the short word for the eyes, the whole words for screen readers (review.css). */}
            <span className="essaim-review__stale-words">{m.stale}</span>
            <span className="essaim-review__stale-short" aria-hidden="true">
              {m.staleShort}
            </span>
          </Badge>
        )}
        {review.locked && (
          <Badge as="span" small noIcon className="essaim-review__locked-badge">
            <span className="fr-icon-lock-line fr-icon--sm" aria-hidden="true" /> {m.locked}
          </Badge>
        )}
        {lines.map((line) => (
          <span key={line.kind} className="essaim-review__line">
            {lineText(line)}
          </span>
        ))}
      </div>
      {message && (
        <div className="essaim-review__message">
          <span className="essaim-muted">
            {review.state === 'modifications_demandees' ? m.section.request : m.section.message}
          </span>
          {message}
        </div>
      )}
      {review.locked && <div className="essaim-review__lock-reason">{m.section.lockReason}</div>}
      {(steps.length > 0 || section.changedSinceApproval) && (
        <div className="essaim-review__actions">
          {section.changedSinceApproval && (
            <button
              type="button"
              tabIndex={tabIndex}
              className={
                fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--tertiary', 'fr-btn--icon-left') +
                ' fr-icon-eye-line essaim-review__show-changes'
              }
              aria-label={m.section.showChangesTitle(title)}
              title={m.section.showChanges}
              onClick={() => api.showChanges(sectionId)}
            >
              {/* An icon alone on a phone (review.css), its name in aria-label and title. No span
                  here: Tiptap's node view lets the editor take a click on a button's child. */}
              {m.section.showChanges}
            </button>
          )}
          {steps.map((event) => (
            <button
              key={event}
              type="button"
              tabIndex={tabIndex}
              className={
                fr.cx(
                  'fr-btn',
                  'fr-btn--sm',
                  event === 'approve' ? 'fr-btn--secondary' : 'fr-btn--tertiary',
                  'fr-btn--icon-left',
                ) +
                ' ' +
                icons[event]
              }
              aria-label={m.buttonTitle[event](title)}
              // Offline, the steps are drawn where they stand (the text does not move when the
              // server answers) but not taken.
              aria-disabled={pending || api.saved ? true : undefined}
              data-review-action={event}
              onClick={() => {
                if (!pending && !api.saved) api.step(sectionId, event);
              }}
            >
              {pending === event ? m.section.pending : m.events[event]}
            </button>
          ))}
        </div>
      )}
      {error && (
        <div className={fr.cx('fr-error-text', 'fr-mt-1w')} role="alert">
          {m.section.failed}
          {error}
        </div>
      )}
    </div>
  );
}
