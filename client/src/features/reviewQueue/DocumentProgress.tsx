import { Link } from 'wouter';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { fr } from '@codegouvfr/react-dsfr';
import { newVersionInProgressLabel } from '@essaim/domain';
import type { ReviewQueueDocumentDto } from '@essaim/protocol';
import { DataTable } from '../../shared/DataTable.js';
import { journalCsvUrl } from './api.js';
import { reviewQueueMessages as m } from './messages.js';
import { ReviewStateBadge } from './ReviewStateBadge.js';

/**
 * Each document's review: its state as a badge (« Prête à publier »…), a bar and the words
 * « 9 / 13 sections approuvées » (the bar is drawn for the eye; the words say it to everyone),
 * a way to narrow the queue to it, and its review journal as CSV.
 */
export function DocumentProgress({
  documents,
  onFilter,
}: {
  documents: ReviewQueueDocumentDto[];
  /** Narrows the queue to this document (the « Document » filter). */
  onFilter: (documentId: string) => void;
}) {
  return (
    <DataTable
      caption={m.progressTitle}
      headers={[m.colDocument, m.colState, m.colProgress, m.colActions]}
      className="essaim-queue-progress"
    >
      {documents.map((doc) => (
        <tr key={doc.id} data-document={doc.id}>
          <td>
            <Link to={`/documents/${doc.id}`} className="fr-link">
              {doc.title}
            </Link>
          </td>
          <td>
            <ul className={fr.cx('fr-badges-group')}>
              <li>
                <ReviewStateBadge state={doc.reviewState} />
              </li>
              {doc.review.newVersionInProgress && (
                <li>
                  <Badge as="span" small noIcon>
                    {newVersionInProgressLabel}
                  </Badge>
                </li>
              )}
            </ul>
          </td>
          <td>
            <div className="essaim-queue-progress__bar">
              <progress aria-hidden="true" max={Math.max(doc.review.total, 1)} value={doc.review.approved} />
              <span className="essaim-nowrap" data-testid="document-progress">
                {m.progress(doc.review.approved, doc.review.total)}
              </span>
            </div>
          </td>
          <td>
            <ul className="essaim-queue-progress__links">
              <li>
                <button
                  type="button"
                  className={fr.cx('fr-link', 'fr-link--sm')}
                  aria-label={m.filterOnDocumentLabel(doc.title)}
                  onClick={() => onFilter(doc.id)}
                >
                  {m.filterOnDocument}
                </button>
              </li>
              <li>
                <a
                  className={fr.cx('fr-link', 'fr-link--sm', 'fr-icon-download-line', 'fr-link--icon-left')}
                  href={journalCsvUrl(doc.id)}
                  download
                  aria-label={m.journalCsvLabel(doc.title)}
                >
                  {m.journalCsv}
                </a>
              </li>
            </ul>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
