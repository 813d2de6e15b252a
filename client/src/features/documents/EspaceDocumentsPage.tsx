import { useId } from 'react';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto } from '@essaim/protocol';
import { formatDate } from '../../shared/dates.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useCurrentUser } from '../auth/session.js';
import { useEspace } from '../espaces/EspaceLayout.js';
import { espacesMessages } from '../espaces/messages.js';
import { roleLabel } from '../espaces/roles.js';
import { listDocuments } from './api.js';
import { CreateDocumentForm } from './CreateDocumentForm.js';
import { documentsMessages as m } from './messages.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';

function byMostRecent(a: DocumentDto, b: DocumentDto): number {
  return b.updatedAt.localeCompare(a.updatedAt);
}

/** `/espaces/:id`: the espace's documents, most recently changed first, and the form to start one. */
export function EspaceDocumentsPage() {
  const { espace } = useEspace();
  const user = useCurrentUser();
  useDocumentTitle(`${m.pageTitle} — ${espace.name}`);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const listHeadingId = useId();
  const { state, retry } = useLoad(
    (signal) => listDocuments(espace.id, signal).then((documents) => [...documents].sort(byMostRecent)),
    [espace.id],
  );

  const canCreate = espace.permissions.createDocument;
  const role = espace.role
    ? espacesMessages.yourRole(roleLabel[espace.role])
    : user.isAdmin
      ? espacesMessages.noRole
      : null;

  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <h1 ref={headingRef} tabIndex={-1} className={fr.cx('fr-mb-1w')}>
        {espace.name}
      </h1>
      {role && <p className={fr.cx('fr-text--sm', 'fr-mb-2w') + ' essaim-muted'}>{role}</p>}
      <p className={fr.cx('fr-text--lead', 'fr-mb-2w')}>{m.lead}</p>
      <p className={fr.cx('fr-mb-6w')}>
        <Button
          priority="tertiary"
          size="small"
          iconId="fr-icon-team-line"
          linkProps={{ to: `/espaces/${espace.id}/personnes` }}
        >
          {m.peopleLink}
        </Button>
      </p>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <section
          className={fr.cx('fr-col-12', canCreate ? 'fr-col-md-8' : 'fr-col-md-12')}
          aria-labelledby={listHeadingId}
        >
          <h2 id={listHeadingId}>
            {m.listTitle}
            {state.status === 'ready' && (
              <span className={fr.cx('fr-text--md', 'fr-ml-1w')}>({m.listCount(state.value.length)})</span>
            )}
          </h2>
          {state.status === 'loading' && (
            <p role="status" className="essaim-muted">
              {m.loading}
            </p>
          )}
          {state.status === 'error' && (
            <LoadFailed
              as="h3"
              title={m.loadErrorTitle}
              message={state.message}
              retryLabel={m.retry}
              onRetry={retry}
            />
          )}
          {state.status === 'ready' && state.value.length === 0 && (
            <p>{canCreate ? m.empty : m.emptyReadOnly}</p>
          )}
          {state.status === 'ready' && state.value.length > 0 && (
            <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
              {state.value.map((doc) => (
                <li key={doc.id} className={fr.cx('fr-col-12', canCreate ? 'fr-col-lg-6' : 'fr-col-md-6')}>
                  <Card
                    title={doc.title}
                    titleAs="h3"
                    size="small"
                    enlargeLink
                    linkProps={{ to: `/documents/${doc.id}` }}
                    desc={
                      doc.assignees.length > 0 ? m.assignees(doc.assignees.map((a) => a.name)) : m.noAssignees
                    }
                    start={
                      <ul className={fr.cx('fr-badges-group')}>
                        <li>
                          <Badge as="span" small severity={doc.kind === 'synthese' ? 'new' : 'info'} noIcon>
                            {m.kindLabel[doc.kind]}
                          </Badge>
                        </li>
                        {doc.access === 'read' && (
                          <li>
                            <Badge as="span" small noIcon>
                              {m.readOnlyBadge}
                            </Badge>
                          </li>
                        )}
                      </ul>
                    }
                    endDetail={m.updatedAt(formatDate(doc.updatedAt))}
                  />
                </li>
              ))}
            </ul>
          )}
        </section>
        {canCreate && (
          <section className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <div className="essaim-panel">
              <CreateDocumentForm espaceId={espace.id} rapporteur={espace.role === 'rapporteur'} />
            </div>
          </section>
        )}
      </div>
    </div>
  );
}
