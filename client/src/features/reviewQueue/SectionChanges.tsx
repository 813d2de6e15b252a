import { fr } from '@codegouvfr/react-dsfr';
import type { SectionView } from '../history/diffModel.js';
import { SectionDiffText } from '../history/SectionDiffText.js';
import type { SectionChanges } from './model.js';
import { reviewQueueMessages as m } from './messages.js';

/**
 * What changed in one section since its last approval, as the « Historique » compare draws it:
 * words inserted underlined and words deleted struck, each in its author's colour, told to
 * screen readers by « Ajouté : » / « Supprimé : » and the author's name (nothing by colour alone).
 * A section never approved says « première soumission » (or, not submitted, « jamais approuvée »).
 */
export function SectionChangesView({
  changes,
  headingId,
  submitted,
}: {
  changes: SectionChanges;
  headingId: string;
  /** The section waits for a decision: a section never approved is then a first submission. */
  submitted: boolean;
}) {
  return (
    <div className="essaim-queue-changes" role="group" aria-labelledby={headingId}>
      <p id={headingId} className={fr.cx('fr-text--sm', 'fr-mb-1w')}>
        <strong>{m.changesTitle}</strong>
      </p>
      {changes.kind === 'first-submission' && (
        <p className={fr.cx('fr-text--sm', 'fr-mb-0')} data-testid="first-submission">
          {submitted ? m.firstSubmission : m.neverApproved}
        </p>
      )}
      {changes.kind === 'unchanged' && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.noChanges}</p>}
      {changes.kind === 'removed' && <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>{m.sectionRemoved}</p>}
      {changes.kind === 'changed' && <ChangedText view={changes.view} />}
    </div>
  );
}

function ChangedText({ view }: { view: SectionView }) {
  return (
    <>
      <p className={fr.cx('fr-text--xs', 'fr-mb-1w') + ' essaim-muted'}>{m.changeCount(view.changes)}</p>
      <SectionDiffText section={view} className="essaim-queue-changes__text" testId="section-diff" />
    </>
  );
}
