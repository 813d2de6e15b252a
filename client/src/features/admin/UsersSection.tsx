import { useRef, useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { fr } from '@codegouvfr/react-dsfr';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { CopyField } from '../../shared/CopyField.js';
import { formatDate, formatDay } from '../../shared/dates.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { useCurrentUser } from '../auth/session.js';
import { createResetLink, listUsers, setUserDisabled, type AdminUserDto } from './api.js';
import { adminMessages as m } from './messages.js';
import { LoadFailed } from '../../shared/LoadFailed.js';
import { useLoad } from '../../shared/useLoad.js';
import { DataTable } from '../../shared/DataTable.js';

const accountModal = createModal({ id: 'modale-compte', isOpenedByDefault: false });

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The accounts table: disable or enable (after confirmation), and reset links to hand over. */
export function UsersSection() {
  const me = useCurrentUser();
  const { state, reload, retry } = useLoad(
    (signal) =>
      listUsers(signal).then((users) => [...users].sort((a, b) => a.name.localeCompare(b.name, 'fr'))),
    [],
  );
  const [target, setTarget] = useState<AdminUserDto | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reset, setReset] = useState<{ name: string; link: string; expiresAt: string } | null>(null);
  const resetRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  const toggle = async () => {
    const user = target;
    if (!user) return;
    setStatus(null);
    setError(null);
    try {
      await setUserDisabled(user.id, !user.disabled);
      setStatus(user.disabled ? m.enabled(user.name) : m.disabled(user.name));
      reload();
      // The button changes (Désactiver ↔ Réactiver): keep the focus on the same row's new button.
      requestFocus(() => document.getElementById(`compte-${user.id}-etat`));
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  const makeResetLink = async (user: AdminUserDto) => {
    setStatus(null);
    setError(null);
    try {
      const { link, expiresAt } = await createResetLink(user.id);
      setReset({ name: user.name, link, expiresAt });
      requestFocus(() => resetRef.current);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  if (state.status === 'loading') {
    return (
      <p role="status" className="essaim-muted">
        {m.usersLoading}
      </p>
    );
  }
  if (state.status === 'error') {
    return (
      <LoadFailed title={m.loadErrorTitle} message={state.message} retryLabel={m.retry} onRetry={retry} />
    );
  }

  return (
    <>
      <StatusMessage message={status} />
      {error && (
        <Alert
          className={fr.cx('fr-mb-2w')}
          severity="error"
          as="h3"
          title={m.actionErrorTitle}
          description={error}
        />
      )}
      {reset && (
        <div ref={resetRef} tabIndex={-1} className={fr.cx('fr-mb-3w')}>
          <Alert
            severity="success"
            as="h3"
            title={m.resetCreatedTitle}
            description={m.resetCreated(reset.name, formatDate(reset.expiresAt))}
          />
          <div className={fr.cx('fr-mt-2w')}>
            <CopyField key={reset.link} label={m.resetFieldLabel(reset.name)} value={reset.link} />
          </div>
        </div>
      )}
      <DataTable
        caption={m.usersCaption(state.value.length)}
        headers={[m.colName, m.colEmail, m.colStatus, m.colCreated, m.colActions]}
      >
        {state.value.map((user) => {
          const self = user.id === me.id;
          return (
            <tr key={user.id}>
              <th scope="row">
                {user.name}
                {self && <span className="essaim-muted"> {m.you}</span>}
              </th>
              <td>{user.email}</td>
              <td>
                <ul className={fr.cx('fr-badges-group')}>
                  <li>
                    <Badge as="span" small severity={user.disabled ? 'error' : 'success'} noIcon>
                      {user.disabled ? m.disabledBadge : m.activeBadge}
                    </Badge>
                  </li>
                  {user.isAdmin && (
                    <li>
                      <Badge as="span" small severity="info" noIcon>
                        {m.adminBadge}
                      </Badge>
                    </li>
                  )}
                </ul>
              </td>
              <td>{formatDay(user.createdAt)}</td>
              <td>
                <ul className="essaim-row-actions">
                  {!self && (
                    <li>
                      <Button
                        type="button"
                        size="small"
                        priority="secondary"
                        iconId={user.disabled ? 'fr-icon-checkbox-circle-line' : 'fr-icon-close-circle-line'}
                        nativeButtonProps={{
                          id: `compte-${user.id}-etat`,
                          'aria-label': user.disabled ? m.enableLabel(user.name) : m.disableLabel(user.name),
                        }}
                        onClick={() => {
                          setTarget(user);
                          accountModal.open();
                        }}
                      >
                        {user.disabled ? m.enable : m.disable}
                      </Button>
                    </li>
                  )}
                  <li>
                    <Button
                      type="button"
                      size="small"
                      priority="tertiary"
                      iconId="fr-icon-rotate-lock-line"
                      disabled={user.disabled}
                      nativeButtonProps={{ 'aria-label': m.resetLinkLabel(user.name) }}
                      onClick={() => void makeResetLink(user)}
                    >
                      {m.resetLink}
                    </Button>
                  </li>
                </ul>
              </td>
            </tr>
          );
        })}
      </DataTable>
      <ConfirmDialog
        modal={accountModal}
        title={target?.disabled ? m.enableTitle : m.disableTitle}
        confirmLabel={target?.disabled ? m.enableConfirm : m.disableConfirm}
        onConfirm={() => void toggle()}
      >
        <p>{target ? (target.disabled ? m.enableText(target.name) : m.disableText(target.name)) : ''}</p>
      </ConfirmDialog>
    </>
  );
}
