import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import type { VersionDto } from '@essaim/protocol';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';
import { listVersions } from '../history/api.js';
import { CompareView } from '../history/CompareView.js';
import { publicationMessages } from './messages.js';

const m = publicationMessages.compare;

/** « Comparer avec la publication », opened by the publication row. */
export const compareModal = createModal({ id: 'modale-comparer-publication', isOpenedByDefault: false });

/**
 * What changed since publication `number`: the history's comparison (`CompareView`, issue 11) from
 * the `publication` version recorded when it was published (`versionId`) to the current text, in a
 * large DSFR dialog. The version is looked up in the document's history each time it opens
 * (`opened` changes); « Retour » and « Fermer » close it.
 */
export function CompareWithPublication({
  documentId,
  number,
  versionId,
  opened,
  onClosed,
}: {
  documentId: string;
  number: number;
  versionId: string;
  /** Incremented at each opening. */
  opened: number;
  onClosed: () => void;
}) {
  const open = useIsModalOpen(compareModal, { onConceal: onClosed });
  return (
    <compareModal.Component
      title={m.title(number)}
      titleAs="h2"
      size="large"
      buttons={[{ children: m.close, priority: 'secondary', doClosesModal: true }]}
    >
      {open && opened > 0 && (
        <PublishedVersionDiff key={`${opened}-${versionId}`} documentId={documentId} versionId={versionId} />
      )}
    </compareModal.Component>
  );
}

function PublishedVersionDiff({ documentId, versionId }: { documentId: string; versionId: string }) {
  const loaded = useLoad(
    (signal): Promise<VersionDto | null> =>
      listVersions(documentId, signal).then((versions) => versions.find((v) => v.id === versionId) ?? null),
    [documentId, versionId],
  );
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
  const version = loaded.state.value;
  if (!version) return <p>{m.missing}</p>;
  return <CompareView documentId={documentId} from={version} to={null} onBack={() => compareModal.close()} />;
}
