import { useId } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useCurrentUser } from '../auth/session.js';
import { CreateEspaceForm } from '../espaces/CreateEspaceForm.js';
import { AuditLog } from './AuditLog.js';
import { adminMessages as m } from './messages.js';
import { UsersSection } from './UsersSection.js';

/** `/administration` (administrators only): accounts, espaces, audit log. Loaded on demand. */
export function AdminPage() {
  const user = useCurrentUser();
  if (!user.isAdmin) {
    return (
      <ErrorPage title={m.forbiddenTitle} code={m.forbiddenCode} lead={m.forbiddenLead} homeLabel={m.home} />
    );
  }
  return <Administration />;
}

function Administration() {
  useDocumentTitle(m.title);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const usersId = useId();
  const espacesId = useId();
  const auditId = useId();
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <h1 ref={headingRef} tabIndex={-1}>
        {m.title}
      </h1>
      <p className={fr.cx('fr-text--lead', 'fr-mb-6w')}>{m.lead}</p>

      <section aria-labelledby={usersId} className={fr.cx('fr-mb-6w')}>
        <h2 id={usersId}>{m.usersTitle}</h2>
        <UsersSection />
      </section>

      <section aria-labelledby={espacesId} className={fr.cx('fr-mb-6w')}>
        <h2 id={espacesId}>{m.espacesTitle}</h2>
        <p>
          <Button priority="tertiary" size="small" iconId="fr-icon-team-line" linkProps={{ to: '/espaces' }}>
            {m.espacesLink}
          </Button>
        </p>
        <div className={fr.cx('fr-grid-row')}>
          <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
            <div className="essaim-panel">
              <CreateEspaceForm headingLevel="h3" />
            </div>
          </div>
        </div>
      </section>

      <section aria-labelledby={auditId}>
        <h2 id={auditId}>{m.auditTitle}</h2>
        <p>{m.auditLead}</p>
        <AuditLog />
      </section>
    </div>
  );
}
