import { Link } from 'wouter';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto } from '@essaim/protocol';
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
 * The documents as DSFR cards, two per row on wide screens; under the title of a document found
 * by its text, where the words were found (issue 18). Each item carries `data-document-id`.
 */
export function DocumentCards({
  documents,
  labels,
  now,
  onAction,
}: {
  documents: DocumentDto[];
  labels: Labels;
  now: number;
  onAction: DocumentAction;
}) {
  return (
    <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
      {documents.map((doc) => (
        // `data-document-id`: where « Afficher plus de documents » moves the focus (its title link).
        <li key={doc.id} data-document-id={doc.id} className={fr.cx('fr-col-12', 'fr-col-md-6')}>
          <DocumentCard doc={doc} labels={labels} now={now} onAction={onAction} />
        </li>
      ))}
    </ul>
  );
}

function DocumentCard({
  doc,
  labels,
  now,
  onAction,
}: {
  doc: DocumentDto;
  labels: Labels;
  now: number;
  onAction: DocumentAction;
}) {
  return (
    <article className={fr.cx('fr-card', 'fr-card--sm') + ' essaim-doc-card'}>
      <div className={fr.cx('fr-card__body')}>
        <div className={fr.cx('fr-card__content')}>
          <h3 className={fr.cx('fr-card__title')}>
            <Link to={`/documents/${doc.id}`}>{doc.title}</Link>
          </h3>
          <div className={fr.cx('fr-card__desc')}>
            <SearchMatches doc={doc} />
            <ThemeTags ids={doc.metadata.themes} labels={labels} />
            <dl className="essaim-doc-facts">
              <div>
                <dt>{m.colCategory}</dt>
                <dd>
                  <OrNotSet value={categoryOf(doc)} />
                </dd>
              </div>
              <div>
                <dt>{m.colTerritory}</dt>
                <dd>
                  <OrNotSet value={labels.territory(doc.metadata.territoire)} />
                </dd>
              </div>
              <div>
                <dt>{m.colStructure}</dt>
                <dd>
                  <OrNotSet value={structureOf(doc)} />
                </dd>
              </div>
              <div>
                <dt>{m.colAssignees}</dt>
                <dd>{assigneesOf(doc) ?? <span className="essaim-muted">{m.noAssignees}</span>}</dd>
              </div>
              <div>
                <dt>{m.colProgress}</dt>
                <dd>
                  <Progress doc={doc} />
                </dd>
              </div>
            </dl>
          </div>
          <div className={fr.cx('fr-card__start')}>
            <DocumentBadges doc={doc} />
          </div>
          <div className={fr.cx('fr-card__end')}>
            <p className={fr.cx('fr-card__detail', 'fr-icon-time-line')}>
              <LastChange doc={doc} now={now} />
            </p>
          </div>
        </div>
        {doc.canArchive && (
          <div className={fr.cx('fr-card__footer')}>
            <ArchiveButton doc={doc} onAction={onAction} />
          </div>
        )}
      </div>
    </article>
  );
}
