import { useId } from 'react';
import { Link } from 'wouter';
import { fr } from '@codegouvfr/react-dsfr';
import type { ActivityDto } from '@essaim/protocol';
import { formatDate } from '../../shared/dates.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import type { Loadable } from '../../shared/useLoad.js';
import { activityAction, activityActor, formatRelative } from './format.js';
import { catalogueMessages as m } from './messages.js';

/**
 * « Activité récente »: who changed what lately, newest first. « Camille Martin a modifié
 * « Public concerné » — Conférences familiales — il y a 5 min ».
 */
export function ActivityPanel({
  activity,
  now,
  onRetry,
}: {
  activity: Loadable<ActivityDto[]>;
  now: number;
  onRetry: () => void;
}) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="essaim-activity">
      <h2 id={headingId} className={fr.cx('fr-h5')}>
        {m.activityTitle}
      </h2>
      {activity.status === 'loading' && <p className="essaim-muted">{m.activityLoading}</p>}
      {activity.status === 'error' && (
        <LoadFailed
          as="h3"
          title={m.activityErrorTitle}
          message={activity.message}
          retryLabel={m.retry}
          onRetry={onRetry}
        />
      )}
      {activity.status === 'ready' && activity.value.length === 0 && (
        <p className="essaim-muted">{m.activityEmpty}</p>
      )}
      {activity.status === 'ready' && activity.value.length > 0 && (
        <ol className={fr.cx('fr-raw-list') + ' essaim-activity__list'}>
          {activity.value.map((entry) => (
            <li key={entry.id} className="essaim-activity__item">
              <p className={fr.cx('fr-text--sm', 'fr-mb-0')}>
                <strong>{activityActor(entry)}</strong> {activityAction(entry)}
                <span aria-hidden="true"> — </span>
                <span className="fr-sr-only">, </span>
                <Link to={`/documents/${entry.documentId}`}>{entry.documentTitle}</Link>
              </p>
              <p className={fr.cx('fr-text--xs', 'fr-mb-0') + ' essaim-muted'}>
                <time dateTime={entry.at} title={formatDate(entry.at)}>
                  {formatRelative(entry.at, now)}
                </time>
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
