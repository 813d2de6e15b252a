import { useId, useMemo } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import type { MetadataChangeDto, VersionDto } from '@essaim/protocol';
import { CompactLoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';
import { compareVersions, CURRENT } from './api.js';
import {
  diffView,
  type ChangeRun,
  type DiffRun,
  type FlowNode,
  type LegendEntry,
  type SectionView,
} from './diffModel.js';
import { historyMessages } from './messages.js';
import { HistorySubview } from './VersionView.js';
import './history.css';

const m = historyMessages.compare;

const colourClass = (colour: number | null) =>
  colour === null ? 'essaim-history-author--unknown' : `essaim-history-author--${colour}`;

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
            <span className={'essaim-history__swatch ' + colourClass(entry.colour)} aria-hidden="true" />
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
      <div className="essaim-history__diff-text">
        {section.titleChange && (
          <p className="essaim-history__title-change">
            <span className="essaim-muted">{m.titleLine}</span>
            {section.titleChange.map((run, i) => (
              <Run key={i} run={run} />
            ))}
          </p>
        )}
        <Flow nodes={section.flow} blocks={section.blocks} />
      </div>
    </section>
  );
}

/**
 * A section's blocks in order, each a paragraph, those in lists drawn as lists (`<ul>`, `<ol>`,
 * nested as in the document), an ordered list's items numbered as in their version (`value`).
 */
function Flow({ nodes, blocks }: { nodes: FlowNode[]; blocks: DiffRun[][] }) {
  return (
    <>
      {nodes.map((node, index) => {
        if (node.kind === 'block')
          return (
            <p key={index}>
              {(blocks[node.block] ?? []).map((run, i) => (
                <Run key={i} run={run} />
              ))}
            </p>
          );
        const items = node.items.map((item, i) => (
          <li key={i} value={node.ordered ? item.number : undefined}>
            <Flow nodes={item.content} blocks={blocks} />
          </li>
        ));
        return node.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
      })}
    </>
  );
}

function Run({ run }: { run: DiffRun }) {
  if (run.kind === 'equal') return <>{run.text}</>;
  return <Change run={run} />;
}

function Change({ run }: { run: ChangeRun }) {
  const name = run.author?.name ?? null;
  const Tag = run.kind === 'insert' ? 'ins' : 'del';
  const className = `${run.kind === 'insert' ? 'essaim-history-ins' : 'essaim-history-del'} ${colourClass(run.colour)}`;
  const title = run.kind === 'insert' ? m.insertedTitle(name) : m.deletedTitle(name);
  const said = run.kind === 'insert' ? m.insertedSr : m.deletedSr;
  return (
    <Tag className={className} title={title}>
      <span className="fr-sr-only">{said}</span>
      {run.paragraphBreak ? (
        <>
          <span aria-hidden="true" className="essaim-history__pilcrow">
            ¶
          </span>
          <span className="fr-sr-only">{m.paragraphBreak}</span>
        </>
      ) : (
        run.text
      )}
      {name && <span className="fr-sr-only">{m.by(name)}</span>}
    </Tag>
  );
}
