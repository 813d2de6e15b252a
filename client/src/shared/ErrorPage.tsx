import type { ReactNode } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import { useDocumentTitle } from './useDocumentTitle.js';
import { useFocusOnMount } from './useFocusOnMount.js';

export interface ErrorPageProps {
  title: string;
  /** Short technical hint shown above the explanation, e.g. « Erreur 404 ». */
  code?: string;
  lead: string;
  children?: ReactNode;
  /** Offer « Réessayer » (for errors that may go away: network, server). */
  onRetry?: () => void;
  retryLabel?: string;
  /** The way out, when there is one: a link to `homeTo` (default `/`). */
  homeLabel?: string;
  homeTo?: string;
}

/** A whole page explaining what went wrong and what the person can do (DSFR error page pattern). */
export function ErrorPage({
  title,
  code,
  lead,
  children,
  onRetry,
  retryLabel,
  homeLabel,
  homeTo = '/',
}: ErrorPageProps) {
  useDocumentTitle(title);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className={fr.cx('fr-container', 'fr-py-8w')}>
      <div className={fr.cx('fr-grid-row')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8')}>
          <h1 ref={headingRef} tabIndex={-1}>
            {title}
          </h1>
          {code && <p className={fr.cx('fr-text--sm', 'fr-mb-3w')}>{code}</p>}
          <p className={fr.cx('fr-text--lead', 'fr-mb-3w')}>{lead}</p>
          {children}
          {(onRetry || homeLabel) && (
            // The group says where its buttons' icons go: without it, the DSFR draws an icon button of a
            // group as the icon alone, its label clipped (« Réessayer » was an empty blue square).
            <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-btns-group--icon-left')}>
              {onRetry && (
                <li>
                  <Button iconId="fr-icon-refresh-line" onClick={onRetry}>
                    {retryLabel}
                  </Button>
                </li>
              )}
              {homeLabel && (
                <li>
                  <Button priority={onRetry ? 'secondary' : 'primary'} linkProps={{ to: homeTo }}>
                    {homeLabel}
                  </Button>
                </li>
              )}
            </ul>
          )}
        </div>
      </div>
    </div>
  );
}
