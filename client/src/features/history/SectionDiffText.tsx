import type { ChangeRun, DiffRun, FlowNode, SectionView } from './diffModel.js';
import { historyMessages } from './messages.js';

const m = historyMessages.compare;

/** The class giving an author's colour (8 colours, then « unknown » for a change without author). */
export const authorColourClass = (colour: number | null): string =>
  colour === null ? 'essaim-history-author--unknown' : `essaim-history-author--${colour}`;

/**
 * The text of one compared section: its title change, then its blocks in order, lists drawn as
 * lists, each insertion and deletion marked with its author (`<ins>` / `<del>`, « Ajouté : » /
 * « Supprimé : » and the name for screen readers, so nothing is told by colour alone). Shared by
 * the « Historique » compare, the review's « modifications depuis l'approbation » and the
 * « Relecture » dashboard.
 */
export function SectionDiffText({
  section,
  className,
  testId,
}: {
  section: SectionView;
  className?: string;
  testId?: string;
}) {
  return (
    <div className={'essaim-history__diff-text' + (className ? ` ${className}` : '')} data-testid={testId}>
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
  const className = `${run.kind === 'insert' ? 'essaim-history-ins' : 'essaim-history-del'} ${authorColourClass(run.colour)}`;
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
