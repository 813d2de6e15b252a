import { useId, useRef, useState, type FormEvent } from 'react';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { fr } from '@codegouvfr/react-dsfr';
import type { InvitationDto } from '@essaim/protocol';
import { CopyField } from '../../shared/CopyField.js';
import { formatDay } from '../../shared/dates.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { firstFieldInError, formErrorsFrom, noErrors, type FormErrors } from '../../shared/formErrors.js';
import { StatusMessage } from '../../shared/StatusMessage.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { createInvitation, revokeInvitation } from './api.js';
import { useEspace } from './EspaceLayout.js';
import { espacesMessages as m } from './messages.js';
import { ESPACE_ROLES, isEspaceRole, roleDescription, roleLabel, type EspaceRole } from './roles.js';
import { DataTable } from '../../shared/DataTable.js';

const FIELDS = ['email', 'role'] as const;
type Field = (typeof FIELDS)[number];

/** For managers: the invitation form (then the link to copy) and the pending invitations. */
export function InvitationsSection() {
  const { espace, reload } = useEspace();
  const inviteId = useId();
  const pendingId = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<EspaceRole>('rapporteur');
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<InvitationDto | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const createdRef = useRef<HTMLDivElement>(null);
  const pendingHeadingRef = useRef<HTMLHeadingElement>(null);
  const requestFocus = useFocusRequest();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    if (!email.trim()) {
      setErrors({ fields: { email: m.emailRequired } });
      requestFocus(() => document.getElementById(`${inviteId}-email`));
      return;
    }
    setPending(true);
    setErrors(noErrors());
    setCreated(null);
    try {
      const invitation = await createInvitation(espace.id, { email: email.trim(), role });
      setCreated(invitation);
      setEmail('');
      requestFocus(() => createdRef.current);
      await reload().catch(() => undefined);
    } catch (error) {
      const next = formErrorsFrom(error, FIELDS);
      setErrors(next);
      const field = firstFieldInError(next, FIELDS);
      requestFocus(() => (field ? document.getElementById(`${inviteId}-${field}`) : alertRef.current));
    } finally {
      setPending(false);
    }
  };

  const revoke = async (invitation: InvitationDto) => {
    setStatus(null);
    setRevokeError(null);
    try {
      await revokeInvitation(espace.id, invitation.id);
      await reload();
      setStatus(m.revoked(invitation.email));
      if (created?.id === invitation.id) setCreated(null);
      // The row and its button are gone: the focus goes back to the list's heading.
      requestFocus(() => pendingHeadingRef.current);
    } catch (error) {
      setRevokeError(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <>
      <section aria-labelledby={inviteId} className={fr.cx('fr-mb-6w')}>
        <h2 id={inviteId}>{m.inviteTitle}</h2>
        <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
          <div className={fr.cx('fr-col-12', 'fr-col-lg-7')}>
            <form onSubmit={submit} noValidate className="essaim-panel">
              <p className={fr.cx('fr-text--sm')}>{m.inviteIntro}</p>
              {errors.general && (
                <FormAlert
                  focusRef={alertRef}
                  as="h3"
                  title={m.inviteErrorTitle}
                  description={errors.general}
                />
              )}
              <Input
                label={m.inviteEmailLabel}
                hintText={m.inviteEmailHint}
                state={errors.fields.email ? 'error' : 'default'}
                stateRelatedMessage={errors.fields.email}
                nativeInputProps={{
                  id: `${inviteId}-email`,
                  name: 'email',
                  type: 'email',
                  value: email,
                  autoComplete: 'off',
                  spellCheck: false,
                  'aria-required': true,
                  'aria-invalid': errors.fields.email ? true : undefined,
                  onChange: (event) => setEmail(event.target.value),
                }}
              />
              <Select
                label={m.inviteRoleLabel}
                hint={`${roleLabel[role]} : ${roleDescription[role]}.`}
                state={errors.fields.role ? 'error' : 'default'}
                stateRelatedMessage={errors.fields.role}
                nativeSelectProps={{
                  id: `${inviteId}-role`,
                  name: 'role',
                  value: role,
                  'aria-required': true,
                  onChange: (event) => {
                    if (isEspaceRole(event.target.value)) setRole(event.target.value);
                  },
                }}
              >
                {ESPACE_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel[r]}
                  </option>
                ))}
              </Select>
              <Button type="submit" iconId="fr-icon-mail-send-line" disabled={pending}>
                {pending ? m.inviting : m.inviteSubmit}
              </Button>
            </form>
          </div>
          <div className={fr.cx('fr-col-12', 'fr-col-lg-5')}>
            {created?.link && (
              <div ref={createdRef} tabIndex={-1} className="essaim-created-link">
                <Alert
                  severity="success"
                  as="h3"
                  title={m.invitationCreatedTitle}
                  description={m.invitationCreated(
                    created.email,
                    roleLabel[created.role],
                    formatDay(created.expiresAt),
                  )}
                />
                <div className={fr.cx('fr-mt-2w')}>
                  <CopyField key={created.link} label={m.invitationLinkLabel} value={created.link} />
                </div>
              </div>
            )}
          </div>
        </div>
      </section>

      <section aria-labelledby={pendingId} className={fr.cx('fr-mb-6w')}>
        <h2 id={pendingId} ref={pendingHeadingRef} tabIndex={-1}>
          {m.invitationsTitle}
        </h2>
        <StatusMessage message={status} />
        {revokeError && (
          <Alert
            className={fr.cx('fr-mb-2w')}
            severity="error"
            as="h3"
            title={m.revokeErrorTitle}
            description={revokeError}
          />
        )}
        {espace.invitations.length === 0 ? (
          <p>{m.invitationsEmpty}</p>
        ) : (
          <DataTable
            caption={m.invitationsCaption}
            headers={[m.colEmail, m.colRole, m.colExpires, m.colActions]}
          >
            {espace.invitations.map((invitation) => (
              <tr key={invitation.id}>
                <th scope="row">{invitation.email}</th>
                <td>{roleLabel[invitation.role]}</td>
                <td>{formatDay(invitation.expiresAt)}</td>
                <td>
                  <Button
                    type="button"
                    size="small"
                    priority="tertiary"
                    iconId="fr-icon-close-line"
                    onClick={() => void revoke(invitation)}
                    nativeButtonProps={{ 'aria-label': m.revokeLabel(invitation.email) }}
                  >
                    {m.revoke}
                  </Button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
