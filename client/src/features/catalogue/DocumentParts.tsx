import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import { categoryLabels, structureTypeLabels } from '@essaim/domain';
import type { DocumentDto } from '@essaim/protocol';
import { formatDate } from '../../shared/dates.js';
import { documentsMessages } from '../documents/messages.js';
import { publicationMessages } from '../publication/messages.js';
import { ReviewStateBadge } from '../reviewQueue/ReviewStateBadge.js';
import { formatPages, formatProgress, formatRelative, pagesStatus } from './format.js';
import { catalogueMessages as m } from './messages.js';

/** What the catalogue needs to turn ids and codes into words. */
export interface Labels {
  theme: (id: string) => string;
  territory: (code: string | null) => string | null;
}

/** What the person may do on a row or card: archive or restore (the animateur). */
export type DocumentAction = (doc: DocumentDto, action: 'archive' | 'restore') => void;

const kindClass = {
  fiche: 'fr-badge--blue-ecume',
  synthese: 'fr-badge--purple-glycine',
} as const satisfies Record<DocumentDto['kind'], string>;

/**
 * Kind, review state (« En relecture », « Prête à publier »…, « Publiée (version N) » and « Une
 * nouvelle version est en cours de rédaction » when on the portal) or « Archivé », read-only,
 * open comments and approved reuse signals (« 3 reprises signalées ») badges.
 */
export function DocumentBadges({ doc }: { doc: DocumentDto }) {
  return (
    <ul className={fr.cx('fr-badges-group')}>
      <li>
        <Badge as="span" small noIcon className={kindClass[doc.kind]}>
          {documentsMessages.kindLabel[doc.kind]}
        </Badge>
      </li>
      <li>
        {doc.archivedAt ? (
          <Badge as="span" small noIcon>
            {m.statusArchived}
          </Badge>
        ) : doc.publication ? (
          <Badge as="span" small noIcon severity="new">
            {publicationMessages.bar.published(doc.publication.number)}
          </Badge>
        ) : (
          <ReviewStateBadge state={doc.reviewState} />
        )}
      </li>
      {doc.publication?.newVersionInProgress && (
        <li>
          <Badge as="span" small noIcon severity="info">
            {publicationMessages.bar.newVersion}
          </Badge>
        </li>
      )}
      {(doc.publication?.reuses ?? 0) > 0 && (
        <li>
          <Badge as="span" small noIcon severity="success">
            {m.reuses(doc.publication?.reuses ?? 0)}
          </Badge>
        </li>
      )}
      {doc.access === 'read' && !doc.archivedAt && (
        <li>
          <Badge as="span" small noIcon>
            {m.readOnly}
          </Badge>
        </li>
      )}
      {(doc.openThreads ?? 0) > 0 && (
        <li>
          <Badge as="span" small severity="warning" noIcon>
            {m.openThreads(doc.openThreads)}
          </Badge>
        </li>
      )}
    </ul>
  );
}

/** The document's themes as DSFR tags, with the espace's current labels. */
export function ThemeTags({ ids, labels }: { ids: string[]; labels: Labels }) {
  if (ids.length === 0) return <span className="essaim-muted">{m.noThemes}</span>;
  return (
    <ul className={fr.cx('fr-tags-group') + ' essaim-theme-tags'}>
      {ids.map((id) => (
        <li key={id}>
          <p className={fr.cx('fr-tag', 'fr-tag--sm')}>{labels.theme(id)}</p>
        </li>
      ))}
    </ul>
  );
}

export function categoryOf(doc: DocumentDto): string | null {
  return doc.metadata.categorie ? categoryLabels[doc.metadata.categorie] : null;
}

/** « Centre social des Vans (Association ou fédération) ». */
export function structureOf(doc: DocumentDto): string | null {
  const { structure, structureType } = doc.metadata;
  const type = structureType ? structureTypeLabels[structureType] : null;
  if (structure && type) return `${structure} (${type})`;
  return structure || type;
}

export function assigneesOf(doc: DocumentDto): string | null {
  return doc.assignees.length > 0 ? doc.assignees.map((a) => a.name).join(', ') : null;
}

/** A value, or « Non renseigné » in a muted colour. */
export function OrNotSet({ value }: { value: string | null }) {
  return value ? <>{value}</> : <span className="essaim-muted">{m.notSet}</span>;
}

/** « 0 / 13 sections approuvées · ≈ 3,2 pages (cible : 4 à 5 pages) ». */
export function Progress({ doc }: { doc: DocumentDto }) {
  const status = pagesStatus(doc.kind, doc.pages);
  return (
    <>
      <span className="essaim-nowrap">{formatProgress(doc.progress)}</span>
      <span aria-hidden="true" className="essaim-progress-separator">
        {' · '}
      </span>
      <span className={'essaim-nowrap' + (status === 'over' ? ' essaim-pages-over' : '')}>
        {formatPages(doc.pages)}
      </span>
      {status !== 'none' && (
        <span className="essaim-muted fr-text--xs essaim-pages-target">
          {' '}
          ({status === 'over' ? m.pagesOver : m.pagesTarget})
        </span>
      )}
    </>
  );
}

/** « Modifié il y a 5 min par Camille Martin », the exact date in a tooltip and for machines. */
export function LastChange({ doc, now }: { doc: DocumentDto; now: number }) {
  const at = doc.archivedAt ?? doc.updatedAt;
  const when = (
    <time dateTime={at} title={formatDate(at)}>
      {formatRelative(at, now)}
    </time>
  );
  // One element: DSFR lays out card details as flex items, which would drop the spaces.
  if (doc.archivedAt) {
    return (
      <span>
        {m.archivedPrefix}
        {when}
      </span>
    );
  }
  const who = doc.lastEditor?.name ?? null;
  return (
    <span>
      {m.changedPrefix}
      {when}
      {who && <> {m.by(who)}</>}
    </span>
  );
}

/** « Archiver » or « Restaurer », for the animateur; the dialog asks before acting. */
export function ArchiveButton({ doc, onAction }: { doc: DocumentDto; onAction: DocumentAction }) {
  if (!doc.canArchive) return null;
  const archived = doc.archivedAt !== null;
  return (
    <Button
      type="button"
      size="small"
      priority="tertiary"
      iconId={archived ? 'fr-icon-inbox-unarchive-line' : 'fr-icon-inbox-archive-line'}
      nativeButtonProps={{ 'aria-label': archived ? m.restoreLabel(doc.title) : m.archiveLabel(doc.title) }}
      onClick={() => onAction(doc, archived ? 'restore' : 'archive')}
    >
      {archived ? m.restore : m.archive}
    </Button>
  );
}
