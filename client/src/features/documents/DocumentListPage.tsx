import { useCallback, useEffect, useId, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { listDocuments } from './api.js';
import { CreateDocumentForm } from './CreateDocumentForm.js';
import { documentsMessages as m, formatDate } from './messages.js';

type ListState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'ready'; documents: DocumentDto[] };

function byMostRecent(a: DocumentDto, b: DocumentDto): number {
  return b.updatedAt.localeCompare(a.updatedAt);
}

/** `/`: the documents of the group, most recently changed first, and the form to start a new one. */
export function DocumentListPage() {
  useDocumentTitle(m.pageTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const listHeadingId = useId();
  const [state, setState] = useState<ListState>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setAttempt((n) => n + 1);
  }, []);

  useEffect(() => {
    const controller = new AbortController();
    listDocuments(controller.signal).then(
      (documents) => setState({ status: 'ready', documents: [...documents].sort(byMostRecent) }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState({ status: 'error', message: error instanceof ApiError ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [attempt]);

  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <h1 ref={headingRef} tabIndex={-1}>
        {m.pageTitle}
      </h1>
      <p className={fr.cx('fr-text--lead', 'fr-mb-6w')}>{m.lead}</p>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <section className={fr.cx('fr-col-12', 'fr-col-md-8')} aria-labelledby={listHeadingId}>
          <h2 id={listHeadingId}>
            {m.listTitle}
            {state.status === 'ready' && (
              <span className={fr.cx('fr-text--md', 'fr-ml-1w')}>
                ({m.listCount(state.documents.length)})
              </span>
            )}
          </h2>
          {state.status === 'loading' && (
            <p role="status" className="essaim-muted">
              {m.loading}
            </p>
          )}
          {state.status === 'error' && (
            <>
              <Alert
                severity="error"
                as="h3"
                title={m.loadErrorTitle}
                description={state.message}
                role="alert"
              />
              <Button
                className={fr.cx('fr-mt-2w')}
                priority="secondary"
                iconId="fr-icon-refresh-line"
                onClick={retry}
              >
                {m.retry}
              </Button>
            </>
          )}
          {state.status === 'ready' && state.documents.length === 0 && <p>{m.empty}</p>}
          {state.status === 'ready' && state.documents.length > 0 && (
            <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
              {state.documents.map((doc) => (
                <li key={doc.id} className={fr.cx('fr-col-12', 'fr-col-lg-6')}>
                  <Card
                    title={doc.title}
                    titleAs="h3"
                    size="small"
                    enlargeLink
                    linkProps={{ to: `/documents/${doc.id}` }}
                    start={
                      <ul className={fr.cx('fr-badges-group')}>
                        <li>
                          <Badge as="span" small severity={doc.kind === 'synthese' ? 'new' : 'info'} noIcon>
                            {m.kindLabel[doc.kind]}
                          </Badge>
                        </li>
                      </ul>
                    }
                    endDetail={m.updatedAt(formatDate(doc.updatedAt))}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className={fr.cx('fr-col-12', 'fr-col-md-4')}>
          <div className="essaim-panel">
            <CreateDocumentForm />
          </div>
        </section>
      </div>
    </div>
  );
}
