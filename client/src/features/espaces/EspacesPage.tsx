import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Tile } from '@codegouvfr/react-dsfr/Tile';
import { fr } from '@codegouvfr/react-dsfr';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useCurrentUser } from '../auth/session.js';
import { listEspaces } from './api.js';
import { CreateEspaceForm } from './CreateEspaceForm.js';
import { espacesMessages as m } from './messages.js';
import { roleLabel } from './roles.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';

/**
 * `/espaces`: the espaces of the person (all of them for an administrator, who can create one
 * here). The home page sends here whoever belongs to no espace.
 */
export function EspacesPage() {
  const user = useCurrentUser();
  useDocumentTitle(m.listTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { state, reload } = useLoad(
    (signal) =>
      listEspaces(signal).then((espaces) => [...espaces].sort((a, b) => a.name.localeCompare(b.name, 'fr'))),
    [],
  );

  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <h1 ref={headingRef} tabIndex={-1}>
        {m.listTitle}
      </h1>
      <p className={fr.cx('fr-text--lead', 'fr-mb-6w')}>{user.isAdmin ? m.listLeadAdmin : m.listLead}</p>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <div className={fr.cx('fr-col-12', user.isAdmin ? 'fr-col-md-8' : 'fr-col-md-12')}>
          {state.status === 'loading' && (
            <p role="status" className="essaim-muted">
              {m.listLoading}
            </p>
          )}
          {state.status === 'error' && (
            <LoadFailed
              as="h2"
              title={m.errorTitle}
              message={state.message}
              retryLabel={m.retry}
              onRetry={reload}
            />
          )}
          {state.status === 'ready' &&
            state.value.length === 0 &&
            (user.isAdmin ? (
              <p>{m.listEmpty}</p>
            ) : (
              <Alert severity="info" as="h2" title={m.noEspaceTitle} description={m.noEspaceText} />
            ))}
          {state.status === 'ready' && state.value.length > 0 && (
            <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
              {state.value.map((espace) => (
                <li key={espace.id} className={fr.cx('fr-col-12', 'fr-col-lg-6')}>
                  <Tile
                    title={espace.name}
                    titleAs="h2"
                    desc={espace.role ? m.yourRole(roleLabel[espace.role]) : m.noRole}
                    linkProps={{ to: `/espaces/${espace.id}` }}
                    orientation="horizontal"
                    enlargeLinkOrButton
                    small
                  />
                </li>
              ))}
            </ul>
          )}
        </div>
        {user.isAdmin && (
          <div className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <div className="essaim-panel">
              <CreateEspaceForm onCreated={reload} />
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
