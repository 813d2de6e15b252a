import { useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { fr } from '@codegouvfr/react-dsfr';
import type { MemberDto } from '@essaim/protocol';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { formatDay } from '../../shared/dates.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useSession } from '../auth/session.js';
import { removeMember, setMemberRole } from './api.js';
import { useEspace } from './EspaceLayout.js';
import { espacesMessages as m } from './messages.js';
import { ESPACE_ROLES, isEspaceRole, roleLabel } from './roles.js';
import { DataTable } from '../../shared/DataTable.js';

const removeModal = createModal({ id: 'modale-retirer-membre', isOpenedByDefault: false });

const byName = (a: MemberDto, b: MemberDto) => a.name.localeCompare(b.name, 'fr');

/** The members table: role changes (a select per person) and removal, for managers. */
export function MembersSection({
  onMembersChanged,
  focusAfterRemoval,
}: {
  /** Roles and removals change assignments: the page reloads its documents. */
  onMembersChanged: () => void;
  focusAfterRemoval: () => void;
}) {
  const { espace, setEspace, reload } = useEspace();
  const { user, refresh } = useSession();
  const manage = espace.permissions.manageMembers;
  const [pendingUser, setPendingUser] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  const [toRemove, setToRemove] = useState<MemberDto | null>(null);

  const changeRole = async (member: MemberDto, value: string) => {
    if (!isEspaceRole(value) || value === member.role) return;
    setPendingUser(member.userId);
    setError(null);
    setStatus(null);
    try {
      setEspace(await setMemberRole(espace.id, member.userId, value));
      setStatus(m.roleChanged(member.name, roleLabel[value]));
      onMembersChanged();
      // One's own role is also in the session (navigation, rights shown elsewhere).
      if (member.userId === user?.id) await refresh();
    } catch (failure) {
      setError({
        title: m.roleErrorTitle,
        message: failure instanceof Error ? failure.message : String(failure),
      });
    } finally {
      setPendingUser(null);
    }
  };

  const confirmRemoval = async () => {
    const member = toRemove;
    if (!member) return;
    setPendingUser(member.userId);
    setError(null);
    setStatus(null);
    try {
      await removeMember(espace.id, member.userId);
      await reload();
      setStatus(m.removed(member.name));
      onMembersChanged();
      // The row and its button are gone: the focus goes back to the section.
      focusAfterRemoval();
    } catch (failure) {
      setError({
        title: m.removeErrorTitle,
        message: failure instanceof Error ? failure.message : String(failure),
      });
    } finally {
      setPendingUser(null);
    }
  };

  const members = [...espace.members].sort(byName);

  return (
    <>
      <StatusMessage message={status} />
      {error && (
        <Alert
          className={fr.cx('fr-mb-2w')}
          severity="error"
          as="h3"
          title={error.title}
          description={error.message}
        />
      )}
      <DataTable
        caption={m.membersCaption(members.length)}
        headers={[m.colName, m.colEmail, m.colRole, m.colSince, ...(manage ? [m.colActions] : [])]}
      >
        {members.map((member) => {
          const self = member.userId === user?.id;
          const selectId = `role-${member.userId}`;
          return (
            <tr key={member.userId}>
              <th scope="row">
                {member.name}
                {self && <span className="essaim-muted"> {m.you}</span>}
                {member.disabled && (
                  <>
                    {' '}
                    <Badge as="span" small severity="warning" noIcon>
                      {m.disabledBadge}
                    </Badge>
                  </>
                )}
              </th>
              <td>{member.email}</td>
              <td>
                {manage ? (
                  <>
                    <label className="fr-sr-only" htmlFor={selectId}>
                      {m.roleSelectLabel(member.name)}
                    </label>
                    <select
                      id={selectId}
                      className={fr.cx('fr-select')}
                      value={member.role}
                      disabled={pendingUser === member.userId}
                      onChange={(event) => void changeRole(member, event.target.value)}
                    >
                      {ESPACE_ROLES.map((role) => (
                        <option key={role} value={role}>
                          {roleLabel[role]}
                        </option>
                      ))}
                    </select>
                  </>
                ) : (
                  roleLabel[member.role]
                )}
              </td>
              <td>{formatDay(member.since)}</td>
              {manage && (
                <td>
                  {!self && (
                    <Button
                      type="button"
                      size="small"
                      priority="tertiary"
                      iconId="fr-icon-delete-line"
                      disabled={pendingUser === member.userId}
                      onClick={() => {
                        setToRemove(member);
                        removeModal.open();
                      }}
                    >
                      {m.remove}
                      <span className="fr-sr-only"> {member.name}</span>
                    </Button>
                  )}
                </td>
              )}
            </tr>
          );
        })}
      </DataTable>
      <ConfirmDialog
        modal={removeModal}
        title={m.removeTitle}
        confirmLabel={m.removeConfirm}
        onConfirm={() => void confirmRemoval()}
      >
        <p>{toRemove ? m.removeText(toRemove.name, espace.name) : ''}</p>
      </ConfirmDialog>
    </>
  );
}
