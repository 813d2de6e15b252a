import { useId, useState, type FormEvent } from 'react';
import { useLocation, useParams } from 'wouter';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { FormAlert } from '../../shared/FormAlert.js';
import { OneTimeLink, type OneTimeLinkMessages } from '../../shared/OneTimeLink.js';
import { firstFieldInError, formErrorsFrom, type FormErrors } from '../../shared/formErrors.js';
import { useFormErrors } from '../../shared/useFormErrors.js';
import { loginPathFor } from '../../shared/returnPath.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { authMessages } from '../auth/messages.js';
import { checkNewPassword, NewPasswordFields } from '../auth/NewPasswordFields.js';
import { useSession } from '../auth/session.js';
import { roleDescription, roleLabel } from '../espaces/roles.js';
import { acceptInvitation, getInvitation, type InvitationInfo } from './api.js';
import { invitationMessages as m } from './messages.js';

/** `/invitation/:token`: what the link offers, and accepting it (new account, or existing one). */
export function InvitationPage() {
  const { token = '' } = useParams();
  return (
    <OneTimeLink token={token} check={getInvitation} messages={linkMessages}>
      {(info) => <Invitation token={token} info={info} />}
    </OneTimeLink>
  );
}

const linkMessages: OneTimeLinkMessages = {
  checking: m.checking,
  goneTitle: m.goneTitle,
  notFoundTitle: m.notFoundTitle,
  errorTitle: m.errorTitle,
  code410: m.code410,
  code404: m.code404,
  retry: m.retry,
  askAgain: m.askAgain,
  homeLabel: m.home,
};

const FIELDS = ['name', 'password', 'confirmation'] as const;
type Field = (typeof FIELDS)[number];

function Invitation({ token, info }: { token: string; info: InvitationInfo }) {
  useDocumentTitle(m.documentTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { user, signedIn, signOut } = useSession();
  const [, navigate] = useLocation();
  const id = useId();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { errors, showErrors, clearErrors, alertRef } = useFormErrors(FIELDS, (field) =>
    document.getElementById(`${id}-${field === 'password' ? 'mot-de-passe' : field}`),
  );
  const [pending, setPending] = useState(false);
  const here = `/invitation/${token}`;
  const invitedAccount = user !== null && user.email.toLowerCase() === info.email.toLowerCase();

  const accept = async (input: { name: string; password: string } | null) => {
    setPending(true);
    clearErrors();
    try {
      const accepted = await acceptInvitation(token, input);
      await signedIn(accepted);
      navigate(`/espaces/${info.espaceId}`, { replace: true });
    } catch (error) {
      setPending(false);
      showErrors(formErrorsFrom(error, FIELDS));
    }
  };

  const submitNew = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const local: FormErrors<Field> = { fields: { ...checkNewPassword(password, confirmation) } };
    if (!name.trim()) local.fields.name = authMessages.nameRequired;
    if (firstFieldInError(local, FIELDS)) return showErrors(local);
    void accept({ name: name.trim(), password });
  };

  const switchAccount = async () => {
    setPending(true);
    try {
      await signOut();
      navigate(loginPathFor(here));
    } catch (error) {
      setPending(false);
      showErrors(formErrorsFrom(error, FIELDS));
    }
  };

  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-7')}>
          <h1 ref={headingRef} tabIndex={-1}>
            {m.title(info.espaceName)}
          </h1>
          <p className={fr.cx('fr-text--lead')}>{m.lead(info.email, roleLabel[info.role])}</p>
          <p>{m.roleMeaning(roleDescription[info.role])}</p>
          {errors.general && (
            <FormAlert focusRef={alertRef} title={m.acceptErrorTitle} description={errors.general} />
          )}

          {!info.accountExists && (
            <>
              {user && (
                <Alert
                  className={fr.cx('fr-mb-3w')}
                  severity="warning"
                  as="h2"
                  title={m.loggedInTitle}
                  description={m.wrongAccountNew(user.name, info.email)}
                />
              )}
              <form onSubmit={submitNew} noValidate className="essaim-panel">
                <p>{m.newAccountIntro}</p>
                <p className={fr.cx('fr-text--sm')}>{authMessages.requiredIntro}</p>
                {/* The account's address, for password managers; it is the invited one and cannot change. */}
                <input type="hidden" name="username" autoComplete="username" value={info.email} />
                <Input
                  label={authMessages.nameLabel}
                  hintText={authMessages.nameHint}
                  state={errors.fields.name ? 'error' : 'default'}
                  stateRelatedMessage={errors.fields.name}
                  nativeInputProps={{
                    id: `${id}-name`,
                    name: 'name',
                    value: name,
                    autoComplete: 'name',
                    'aria-required': true,
                    'aria-invalid': errors.fields.name ? true : undefined,
                    onChange: (event) => setName(event.target.value),
                  }}
                />
                <NewPasswordFields
                  idPrefix={id}
                  password={password}
                  confirmation={confirmation}
                  onPasswordChange={setPassword}
                  onConfirmationChange={setConfirmation}
                  errors={{ password: errors.fields.password, confirmation: errors.fields.confirmation }}
                />
                <Button type="submit" iconId="fr-icon-check-line" disabled={pending}>
                  {pending ? m.accepting : m.accept}
                </Button>
              </form>
            </>
          )}

          {info.accountExists && (
            <div className="essaim-panel">
              <h2 className={fr.cx('fr-h5')}>{m.existingTitle}</h2>
              {invitedAccount ? (
                <>
                  <p>{m.existingLoggedIn(user.name)}</p>
                  <Button iconId="fr-icon-check-line" disabled={pending} onClick={() => void accept(null)}>
                    {pending ? m.accepting : m.join}
                  </Button>
                </>
              ) : user ? (
                <>
                  <p>{m.wrongAccount(user.name, info.email)}</p>
                  <Button
                    iconId="fr-icon-logout-box-r-line"
                    disabled={pending}
                    onClick={() => void switchAccount()}
                  >
                    {m.switchAccount}
                  </Button>
                </>
              ) : (
                <>
                  <p>{m.existingLoggedOut(info.email)}</p>
                  <Button iconId="fr-icon-account-circle-line" linkProps={{ to: loginPathFor(here) }}>
                    {m.login}
                  </Button>
                </>
              )}
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
