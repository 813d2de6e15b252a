import { useState } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { fr } from '@codegouvfr/react-dsfr';
import type { DocumentDto, MemberDto } from '@essaim/protocol';
import { ConfirmDialog } from '../../shared/ConfirmDialog.js';
import { formatDay } from '../../shared/dates.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useSession } from '../auth/session.js';
import { removeMember, setMemberRole } from './api.js';
import { useEspace } from './EspaceLayout.js';
import { espacesMessages as m } from './messages.js';
import { ESPACE_ROLES, isEspaceRole, roleLabel, type EspaceRole } from './roles.js';
import { roleChangeConsequences } from './roleChange.js';
import { DataTable } from '../../shared/DataTable.js';
import type { Loadable } from '../../shared/useLoad.js';

const removeModal = createModal({ id: 'modale-retirer-membre', isOpenedByDefault: false });
const roleModal = createModal({ id: 'modale-changer-role', isOpenedByDefault: false });

const byName = (a: MemberDto, b: MemberDto) => a.name.localeCompare(b.name, 'fr');

/**
 * The members table: role changes (a select per person, confirmed in a dialog that says what the
 * change does to the person's rights and assignments) and removal, for managers.
 */
export function MembersSection({
  documents,
  onMembersChanged,
  focusAfterRemoval,
}: {
  /** The espace's documents, to name a person's assignments before a role change. */
  documents: Loadable<DocumentDto[]>;
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
  const [roleChange, setRoleChange] = useState<{ member: MemberDto; role: EspaceRole } | null>(null);

  const assignedTitles = (userId: string): string[] =>
    documents.status === 'ready'
      ? documents.value.filter((d) => d.assignees.some((a) => a.userId === userId)).map((d) => d.title)
      : [];

  /** The select only proposes: the change is made once confirmed in the dialog. */
  const proposeRole = (member: MemberDto, value: string) => {
    if (!isEspaceRole(value) || value === member.role) return;
    setRoleChange({ member, role: value });
    roleModal.open();
  };

  const changeRole = async (member: MemberDto, value: EspaceRole) => {
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
                      onChange={(event) => proposeRole(member, event.target.value)}
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
      <ConfirmDialog
        modal={roleModal}
        title={m.roleChangeTitle}
        confirmLabel={roleChange ? m.roleChangeConfirm(roleLabel[roleChange.role]) : m.roleChangeTitle}
        onConfirm={() => {
          if (roleChange) void changeRole(roleChange.member, roleChange.role);
        }}
      >
        {roleChange && (
          <>
            <p>
              <strong>
                {m.roleChangeLead(
                  roleChange.member.name,
                  roleLabel[roleChange.member.role],
                  roleLabel[roleChange.role],
                )}
              </strong>
            </p>
            {roleChangeConsequences({
              name: roleChange.member.name,
              from: roleChange.member.role,
              to: roleChange.role,
              assignedTitles: assignedTitles(roleChange.member.userId),
              self: roleChange.member.userId === user?.id,
            }).map((sentence) => (
              <p key={sentence}>{sentence}</p>
            ))}
          </>
        )}
      </ConfirmDialog>
    </>
  );
}
