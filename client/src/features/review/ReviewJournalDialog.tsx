import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import { fr } from '@codegouvfr/react-dsfr';
import { DataTable } from '../../shared/DataTable.js';
import { formatTimestamp } from '../../shared/dates.js';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';
import { getReviewJournal, reviewJournalCsvUrl } from './api.js';
import { reviewPanelMessages as reviewMessages } from './panelMessages.js';

const m = reviewMessages.journal;

/** « Journal de relecture », opened by {@link ReviewProvider}. */
export const journalModal = createModal({ id: 'modale-journal-relecture', isOpenedByDefault: false });

/**
 * Every review decision of the document (date, section, step, states before and after, who,
 * message), oldest first, in a large DSFR dialog, with « Exporter en CSV » (the server's file,
 * `?format=csv`). Read again each time it opens (`opened` changes).
 */
export function ReviewJournalDialog({
  documentId,
  opened,
  onClosed,
}: {
  documentId: string;
  /** Incremented at each opening. */
  opened: number;
  onClosed: () => void;
}) {
  const open = useIsModalOpen(journalModal, { onConceal: onClosed });
  return (
    <journalModal.Component
      title={m.title}
      titleAs="h2"
      size="large"
      buttons={[{ children: m.close, priority: 'secondary', doClosesModal: true }]}
    >
      <p className={fr.cx('fr-mb-2w')}>
        <a
          className={fr.cx('fr-link', 'fr-icon-download-line', 'fr-link--icon-left')}
          href={reviewJournalCsvUrl(documentId)}
          download
          title={m.csvTitle}
        >
          {m.csv}
        </a>
      </p>
      {open && opened > 0 && <JournalTable key={opened} documentId={documentId} />}
    </journalModal.Component>
  );
}

function JournalTable({ documentId }: { documentId: string }) {
  const loaded = useLoad((signal) => getReviewJournal(documentId, signal), [documentId]);
  if (loaded.state.status === 'loading') return <p role="status">{m.loading}</p>;
  if (loaded.state.status === 'error')
    return (
      <CompactLoadFailed
        title={m.loadFailed}
        message={loaded.state.message}
        retryLabel={m.retry}
        onRetry={loaded.retry}
      />
    );
  const entries = loaded.state.value;
  if (entries.length === 0) return <p>{m.empty}</p>;
  return (
    <DataTable caption={m.caption} headers={[...m.headers]} className="essaim-review-journal">
      {entries.map((entry) => (
        <tr key={entry.id}>
          <td>
            <time dateTime={entry.at}>{formatTimestamp(entry.at)}</time>
          </td>
          <td>{entry.sectionTitle || reviewMessages.untitled}</td>
          <td>{reviewMessages.events[entry.action]}</td>
          <td>{reviewMessages.states[entry.fromState]}</td>
          <td>{reviewMessages.states[entry.toState]}</td>
          <td>{entry.actor?.name ?? m.unknownActor}</td>
          <td className="essaim-review-journal__message">{entry.message ?? ''}</td>
        </tr>
      ))}
    </DataTable>
  );
}
