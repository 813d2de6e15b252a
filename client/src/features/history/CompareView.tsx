import { useId, useMemo } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import type { MetadataChangeDto, VersionDto } from '@essaim/protocol';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';
import { compareVersions, CURRENT } from './api.js';
import { diffView, type LegendEntry, type SectionView } from './diffModel.js';
import { historyMessages } from './messages.js';
import { authorColourClass, SectionDiffText } from './SectionDiffText.js';
import { HistorySubview } from './VersionView.js';
import './history.css';

const m = historyMessages.compare;

/**
 * The comparison of two versions, or of a version with the current text, computed by the server:
 * the count of changed sections and changes, a legend (inserted, deleted, one colour per author),
 * the metadata that changed, the changed sections with their words inserted (underlined, green)
 * and deleted (struck, red) inline, each in its author's colour, lists drawn as lists; then the
 * unchanged sections, folded. Insertions and deletions are `<ins>` / `<del>` with « Ajouté : » / « Supprimé : » and
 * the author's name for screen readers, so nothing is told by colour alone.
 */
export function CompareView({
  documentId,
  from,
  to,
  onBack,
}: {
  documentId: string;
  from: VersionDto;
  /** Null: the current text. */
  to: VersionDto | null;
  onBack: () => void;
}) {
  const loaded = useLoad(
    (signal) => compareVersions(documentId, from.id, to?.id ?? CURRENT, signal),
    [documentId, from.id, to?.id],
  );
  const view = useMemo(
    () => (loaded.state.status === 'ready' ? diffView(loaded.state.value, m.untitledSection) : null),
    [loaded.state],
  );

  return (
    <HistorySubview
      title={m.title(from.number, to?.number ?? null)}
      headingSpacing="fr-mb-1w"
      onBack={onBack}
    >
      {loaded.state.status === 'loading' && <p role="status">{m.loading}</p>}
      {loaded.state.status === 'error' && (
        <CompactLoadFailed
          title={m.loadFailed}
          message={loaded.state.message}
          retryLabel={historyMessages.panel.retry}
          onRetry={loaded.retry}
        />
      )}
      {view && (
        <>
          <p className={fr.cx('fr-text--md', 'fr-mb-2w')} data-testid="diff-summary">
            <strong>{m.summary(view.changed.length, view.changeCount)}</strong>
          </p>
          {(view.changeCount > 0 || view.metadata.length > 0) && <Legend entries={view.legend} />}
          {view.metadata.length > 0 && <MetadataChanges changes={view.metadata} />}
          {view.changed.map((section) => (
            <SectionDiff key={section.id} section={section} />
          ))}
          {view.unchanged.length > 0 && (
            <details className="essaim-history__unchanged">
              <summary className={fr.cx('fr-text--sm')}>{m.unchangedSections(view.unchanged.length)}</summary>
              {view.unchanged.map((section) => (
                <SectionDiff key={section.id} section={section} />
              ))}
            </details>
          )}
        </>
      )}
    </HistorySubview>
  );
}

function Legend({ entries }: { entries: LegendEntry[] }) {
  const headingId = useId();
  return (
    <div className="essaim-history__legend" role="group" aria-labelledby={headingId}>
      <p id={headingId} className={fr.cx('fr-text--sm', 'fr-mb-1v')}>
        <strong>{m.legendTitle}</strong>
      </p>
      <ul className="essaim-history__legend-list">
        <li>
          <span className="essaim-history-ins essaim-history-author--unknown">{m.inserted}</span>
        </li>
        <li>
          <span className="essaim-history-del essaim-history-author--unknown">{m.deleted}</span>
        </li>
        {entries.map((entry) => (
          <li key={entry.author?.id ?? 'unknown'} data-testid="legend-author">
            <span
              className={'essaim-history__swatch ' + authorColourClass(entry.colour)}
              aria-hidden="true"
            />
            {entry.author?.name ?? m.unknownAuthor}
          </li>
        ))}
      </ul>
    </div>
  );
}

function MetadataChanges({ changes }: { changes: MetadataChangeDto[] }) {
  const headingId = useId();
  return (
    <section className="essaim-history__metadata" aria-labelledby={headingId}>
      <h4 id={headingId} className={fr.cx('fr-text--md', 'fr-mb-1w')}>
        {m.metadataTitle}
      </h4>
      <dl>
        {changes.map((change) => (
          <div key={change.field} className="essaim-history__metadata-row">
            <dt>{change.label}</dt>
            <dd>
              <del className="essaim-history-del essaim-history-author--unknown">
                <span className="fr-sr-only">{m.metadataFrom} : </span>
                {change.from || m.metadataEmpty}
              </del>
              <span aria-hidden="true"> → </span>
              <ins className="essaim-history-ins essaim-history-author--unknown">
                <span className="fr-sr-only">{m.metadataTo} : </span>
                {change.to || m.metadataEmpty}
              </ins>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function SectionDiff({ section }: { section: SectionView }) {
  const headingId = useId();
  return (
    <section
      className={'essaim-history__diff-section essaim-history__diff-section--' + section.status}
      aria-labelledby={headingId}
      data-section-id={section.id}
    >
      <h4 id={headingId} className={fr.cx('fr-text--lg', 'fr-mb-1v')}>
        {section.title}
      </h4>
      <p className={fr.cx('fr-text--xs', 'fr-mb-1w') + ' essaim-muted'}>
        {m.status[section.status]}
        {section.changes > 0 && <> · {m.changes(section.changes)}</>}
      </p>
      <SectionDiffText section={section} />
    </section>
  );
}
