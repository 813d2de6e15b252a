import { useMemo } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDiffDto } from '@essaim/protocol';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';
import { compareVersions, CURRENT } from '../history/api.js';
import { diffView, type DiffView } from '../history/diffModel.js';
import { authorColourClass, SectionDiffText } from '../history/SectionDiffText.js';
import { historyMessages } from '../history/messages.js';
import { reviewPanelMessages as m } from './panelMessages.js';

const h = historyMessages.compare;

/**
 * The comparison of one section only: the server's document comparison (`GET …/diff`) with its
 * other sections and the metadata left out, and the legend narrowed to the authors of this
 * section's changes. Pure.
 */
export function sectionDiffView(diff: DocumentDiffDto, sectionId: string): DiffView {
  const sections = diff.sections.filter((s) => s.id === sectionId);
  const authorIds = new Set(
    sections.flatMap((s) => s.parts.flatMap((p) => (p.kind !== 'equal' && p.author ? [p.author.id] : []))),
  );
  return diffView(
    { ...diff, sections, metadata: [], authors: diff.authors.filter((a) => authorIds.has(a.id)) },
    m.untitled,
  );
}

/**
 * What changed in a section since its approval: the approved text (the `revue` version recorded
 * with the approval) compared with the current text by the server, drawn as the « Historique »
 * panel draws a comparison (history/CompareView.tsx, the same classes): inserted words underlined
 * and deleted ones struck, in their author's colour, with « Ajouté : » / « Supprimé : » and the
 * author's name for screen readers.
 */
export function SectionChanges({
  documentId,
  sectionId,
  approvedVersionId,
}: {
  documentId: string;
  sectionId: string;
  approvedVersionId: string;
}) {
  const loaded = useLoad(
    (signal) => compareVersions(documentId, approvedVersionId, CURRENT, signal),
    [documentId, approvedVersionId],
  );
  const view = useMemo(
    () => (loaded.state.status === 'ready' ? sectionDiffView(loaded.state.value, sectionId) : null),
    [loaded.state, sectionId],
  );
  if (loaded.state.status === 'loading') return <p role="status">{m.changes.loading}</p>;
  if (loaded.state.status === 'error')
    return (
      <CompactLoadFailed
        title={m.changes.loadFailed}
        message={loaded.state.message}
        retryLabel={m.journal.retry}
        onRetry={loaded.retry}
      />
    );
  if (!view) return null;
  const section = view.changed[0] ?? view.unchanged[0];
  if (!section) return <p>{m.changes.notInDiff}</p>;
  return (
    <div className="essaim-review-changes" data-section-id={section.id}>
      <p className={fr.cx('fr-text--sm', 'fr-mb-1w')} data-testid="review-diff-summary">
        <strong>{view.changeCount === 0 ? m.changes.none : h.changes(view.changeCount)}</strong>
      </p>
      {view.changeCount > 0 && (
        <ul className="essaim-history__legend-list fr-mb-2w" aria-label={h.legendTitle}>
          <li>
            <span className="essaim-history-ins essaim-history-author--unknown">{h.inserted}</span>
          </li>
          <li>
            <span className="essaim-history-del essaim-history-author--unknown">{h.deleted}</span>
          </li>
          {view.legend.map((entry) => (
            <li key={entry.author?.id ?? 'unknown'}>
              <span
                className={'essaim-history__swatch ' + authorColourClass(entry.colour)}
                aria-hidden="true"
              />
              {entry.author?.name ?? h.unknownAuthor}
            </li>
          ))}
        </ul>
      )}
      <SectionDiffText section={section} />
    </div>
  );
}
