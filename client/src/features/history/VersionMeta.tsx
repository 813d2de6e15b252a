import { Badge, type BadgeProps } from '@codegouvfr/react-dsfr/Badge';
import { fr } from '@codegouvfr/react-dsfr';
import { VERSION_KIND_LABELS, type VersionDto, type VersionKind } from '@essaim/protocol';
import { dayAndTimeOf, timeOf } from './days.js';
import { historyMessages as m } from './messages.js';

const SEVERITY: Record<VersionKind, BadgeProps['severity']> = {
  automatique: undefined,
  nommee: 'info',
  revue: 'new',
  publication: 'success',
  restauration: 'warning',
};

/** The kind of a version as a DSFR badge (« Nommée », « Restauration »…). */
export function KindBadge({ kind }: { kind: VersionKind }) {
  return (
    <Badge as="span" small noIcon severity={SEVERITY[kind]}>
      {VERSION_KIND_LABELS[kind]}
    </Badge>
  );
}

/** « Bruno, Chloé », or null when nobody's change is in the version. */
export const authorNames = (version: VersionDto): string | null =>
  version.authors.length > 0 ? version.authors.map((a) => a.name).join(', ') : null;

/**
 * The facts of a version under its title: its label, its time (with the day when `withDay`), who
 * changed the text, and who asked for it (named, restore, review, publication).
 */
export function VersionFacts({ version, withDay = false }: { version: VersionDto; withDay?: boolean }) {
  const names = authorNames(version);
  return (
    <>
      {version.label && (
        <p className={fr.cx('fr-text--sm', 'fr-mb-0') + ' essaim-history__label'}>{version.label}</p>
      )}
      <p className={fr.cx('fr-text--xs', 'fr-mb-0') + ' essaim-muted'}>
        <time dateTime={version.createdAt}>
          {withDay ? dayAndTimeOf(version.createdAt) : timeOf(version.createdAt)}
        </time>
        {' · '}
        {names ? m.version.authors(names) : m.version.noAuthors}
        {version.createdBy && (
          <>
            {' · '}
            {m.version.createdBy(version.createdBy.name)}
          </>
        )}
      </p>
    </>
  );
}
