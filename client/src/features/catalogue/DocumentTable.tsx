import { Link } from 'wouter';
import type { DocumentDto } from '@essaim/protocol';
import { DataTable } from '../../shared/DataTable.js';
import {
  ArchiveButton,
  assigneesOf,
  categoryOf,
  DocumentBadges,
  LastChange,
  OrNotSet,
  Progress,
  structureOf,
  ThemeTags,
  type DocumentAction,
  type Labels,
} from './DocumentParts.js';
import { catalogueMessages as m } from './messages.js';
import { SearchMatches } from './SearchMatches.js';

/**
 * The documents as one DSFR table (scrolls sideways on narrow screens); in the first cell of a
 * document found by its text, where the words were found (issue 18). Each row carries
 * `data-document-id` (the focus goes to its title link after « Afficher plus de documents »).
 */
export function DocumentTable({
  documents,
  caption,
  labels,
  now,
  onAction,
}: {
  documents: DocumentDto[];
  caption: string;
  labels: Labels;
  now: number;
  onAction: DocumentAction;
}) {
  const actions = documents.some((d) => d.canArchive);
  const headers = [
    m.colTitle,
    m.colThemes,
    m.colCategory,
    m.colTerritory,
    m.colStructure,
    m.colAssignees,
    m.colProgress,
    m.colChanged,
    ...(actions ? [m.colActions] : []),
  ];
  return (
    <DataTable caption={caption} headers={headers} className="essaim-doc-table">
      {documents.map((doc) => (
        <tr key={doc.id} data-document-id={doc.id}>
          <td>
            <Link to={`/documents/${doc.id}`} className="fr-link">
              {doc.title}
            </Link>
            <DocumentBadges doc={doc} />
            <SearchMatches doc={doc} />
          </td>
          <td>
            <ThemeTags ids={doc.metadata.themes} labels={labels} />
          </td>
          <td>
            <OrNotSet value={categoryOf(doc)} />
          </td>
          <td>
            <OrNotSet value={labels.territory(doc.metadata.territoire)} />
          </td>
          <td>
            <OrNotSet value={structureOf(doc)} />
          </td>
          <td>{assigneesOf(doc) ?? <span className="essaim-muted">{m.noAssignees}</span>}</td>
          <td>
            <Progress doc={doc} />
          </td>
          <td>
            <LastChange doc={doc} now={now} />
          </td>
          {actions && (
            <td>
              <ArchiveButton doc={doc} onAction={onAction} />
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
