import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { ApiError } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { firstFieldInError, formErrorsFrom, noErrors, type FormErrors } from '../../shared/formErrors.js';
import { loginPathFor } from '../../shared/returnPath.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { authMessages } from '../auth/messages.js';
import { checkNewPassword, NewPasswordFields } from '../auth/NewPasswordFields.js';
import { useSession } from '../auth/session.js';
import { roleDescription, roleLabel } from '../espaces/roles.js';
import { acceptInvitation, getInvitation, type InvitationInfo } from './api.js';
import { invitationMessages as m } from './messages.js';

type LinkState =
  | { status: 'checking' }
  | { status: 'valid'; info: InvitationInfo }
  | { status: 'invalid'; httpStatus: number; message: string };

/** `/invitation/:token`: what the link offers, and accepting it (new account, or existing one). */
export function InvitationPage() {
  const { token = '' } = useParams();
  const [link, setLink] = useState<LinkState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    getInvitation(token, controller.signal).then(
      (info) => setLink({ status: 'valid', info }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setLink({
          status: 'invalid',
          httpStatus: error instanceof ApiError ? error.status : 0,
          message: error instanceof Error ? error.message : String(error),
        });
      },
    );
    return () => controller.abort();
  }, [token, attempt]);

  if (link.status === 'checking') {
    return (
      <div className={fr.cx('fr-container', 'fr-py-6w')}>
        <p role="status">{m.checking}</p>
      </div>
    );
  }
  if (link.status === 'invalid') {
    const gone = link.httpStatus === 410;
    const missing = link.httpStatus === 404;
    return (
      <ErrorPage
        title={gone ? m.goneTitle : missing ? m.notFoundTitle : m.errorTitle}
        code={gone ? m.code410 : missing ? m.code404 : undefined}
        lead={link.message}
        onRetry={gone || missing ? undefined : () => setAttempt((n) => n + 1)}
        retryLabel={m.retry}
        homeLabel={m.home}
      >
        {(gone || missing) && <p>{m.askAgain}</p>}
      </ErrorPage>
    );
  }
  return <Invitation token={token} info={link.info} />;
}

const FIELDS = ['name', 'password', 'confirmation'] as const;
type Field = (typeof FIELDS)[number];

function Invitation({ token, info }: { token: string; info: InvitationInfo }) {
  useDocumentTitle(m.documentTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { user, signedIn, signOut } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [pending, setPending] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  const here = `/invitation/${token}`;
  const invitedAccount = user !== null && user.email.toLowerCase() === info.email.toLowerCase();

  const showErrors = (next: FormErrors<Field>) => {
    setErrors(next);
    const field = firstFieldInError(next, FIELDS);
    requestFocus(() =>
      field
        ? document.getElementById(`${id}-${field === 'password' ? 'mot-de-passe' : field}`)
        : alertRef.current,
    );
  };

  const accept = async (input: { name: string; password: string } | null) => {
    setPending(true);
    setErrors(noErrors());
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
