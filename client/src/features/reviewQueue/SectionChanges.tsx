import { fr } from '@codegouvfr/react-dsfr';
import type { ChangeRun, DiffRun, SectionView } from '../history/diffModel.js';
import type { SectionChanges } from './model.js';
import { reviewQueueMessages as m } from './messages.js';

const colourClass = (colour: number | null) =>
  colour === null ? 'essaim-history-author--unknown' : `essaim-history-author--${colour}`;

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
      <div className="essaim-history__diff-text essaim-queue-changes__text" data-testid="section-diff">
        {view.titleChange && (
          <p>
            <span className="essaim-muted">{m.titleLine}</span>
            {view.titleChange.map((run, i) => (
              <Run key={i} run={run} />
            ))}
          </p>
        )}
        {view.blocks.map((block, index) => (
          <p key={index}>
            {block.map((run, i) => (
              <Run key={i} run={run} />
            ))}
          </p>
        ))}
      </div>
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
  return (
    <Tag className={className} title={run.kind === 'insert' ? m.insertedTitle(name) : m.deletedTitle(name)}>
      <span className="fr-sr-only">{run.kind === 'insert' ? m.insertedSr : m.deletedSr}</span>
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
