import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { documentReviewStateLabels, type DocumentReviewState } from '@essaim/domain';

/** The DSFR badge colour of each document review state (as the editor's review bar has them). */
const severity = {
  en_redaction: undefined,
  en_relecture: 'info',
  prete_a_publier: 'success',
  publiee: 'new',
} as const satisfies Record<DocumentReviewState, 'new' | 'info' | 'success' | undefined>;

/**
 * A document's review state as a small DSFR badge (« En rédaction », « En relecture », « Prête à
 * publier », « Publiée »; labels of packages/domain), the same in the catalogue and the dashboard.
 */
export function ReviewStateBadge({ state }: { state: DocumentReviewState }) {
  return (
    <Badge as="span" small noIcon severity={severity[state]}>
      {documentReviewStateLabels[state]}
    </Badge>
  );
}
