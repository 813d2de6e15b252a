import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import { fr } from '@codegouvfr/react-dsfr';
import { formatDate } from '../../shared/dates.js';
import type { SectionReviewView } from './liveReview.js';
import { reviewPanelMessages as reviewMessages } from './panelMessages.js';
import { SectionChanges } from './SectionChanges.js';

const m = reviewMessages.changes;

/** « Voir les modifications depuis l'approbation », opened by {@link ReviewProvider}. */
export const changesModal = createModal({ id: 'modale-relecture-modifications', isOpenedByDefault: false });

/**
 * A large DSFR dialog with what changed in one section since its last approval
 * ({@link SectionChanges}). The comparison is made when the dialog opens, against the current
 * text; `onClosed` runs once it is hidden.
 */
export function ReviewChangesDialog({
  documentId,
  section,
  onClosed,
}: {
  documentId: string;
  section: SectionReviewView | null;
  onClosed: () => void;
}) {
  const open = useIsModalOpen(changesModal, { onConceal: onClosed });
  const title = section?.title || reviewMessages.untitled;
  const review = section?.review;
  return (
    <changesModal.Component
      title={m.title(title)}
      titleAs="h2"
      size="large"
      buttons={[{ children: m.close, priority: 'secondary', doClosesModal: true }]}
    >
      {review && (
        <p className={fr.cx('fr-text--sm', 'fr-mb-1w') + ' essaim-muted'}>
          {m.intro(review.decidedBy?.name ?? null, review.decidedAt ? formatDate(review.decidedAt) : null)}
        </p>
      )}
      {open && section && review?.approvedVersionId && (
        <SectionChanges
          // Opened again: compared again (the text may have changed meanwhile).
          key={`${section.id}-${section.hash}`}
          documentId={documentId}
          sectionId={section.id}
          approvedVersionId={review.approvedVersionId}
        />
      )}
    </changesModal.Component>
  );
}
