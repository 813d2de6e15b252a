import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import { ApiError } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { firstFieldInError, formErrorsFrom, noErrors, type FormErrors } from '../../shared/formErrors.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { checkPasswordReset, resetPassword } from './api.js';
import type { LoginFlash } from './LoginPage.js';
import { authMessages as m } from './messages.js';
import { checkNewPassword, NewPasswordFields } from './NewPasswordFields.js';
import { useSession } from './session.js';

type LinkState =
  | { status: 'checking' }
  | { status: 'valid'; email: string }
  | { status: 'invalid'; httpStatus: number; message: string };

const FIELDS = ['password', 'confirmation'] as const;
type Field = (typeof FIELDS)[number];

/** `/reinitialisation/:token`: a new password from a one-time link (by email or from the administrator). */
export function ResetPasswordPage() {
  const { token = '' } = useParams();
  const [link, setLink] = useState<LinkState>({ status: 'checking' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    checkPasswordReset(token, controller.signal).then(
      ({ email }) => setLink({ status: 'valid', email }),
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
        <p role="status">{m.checkingLink}</p>
      </div>
    );
  }
  if (link.status === 'invalid') {
    const gone = link.httpStatus === 410;
    const missing = link.httpStatus === 404;
    return (
      <ErrorPage
        title={gone ? m.linkGoneTitle : missing ? m.linkNotFoundTitle : m.resetErrorTitle}
        code={gone ? m.linkErrorCode410 : missing ? m.linkErrorCode404 : undefined}
        lead={link.message}
        onRetry={gone || missing ? undefined : () => setAttempt((n) => n + 1)}
        retryLabel={m.retry}
        homeLabel={m.forgotTitle}
        homeTo="/mot-de-passe-oublie"
      >
        {(gone || missing) && <p>{m.askNewLink}</p>}
      </ErrorPage>
    );
  }
  return <ResetForm token={token} email={link.email} />;
}

function ResetForm({ token, email }: { token: string; email: string }) {
  useDocumentTitle(m.resetTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { refresh } = useSession();
  const navigate = useNavigate();
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>(noErrors);
  const [pending, setPending] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  const showErrors = (next: FormErrors<Field>) => {
    setErrors(next);
    const field = firstFieldInError(next, FIELDS);
    requestFocus(() =>
      field
        ? document.getElementById(`${id}-${field === 'password' ? 'mot-de-passe' : field}`)
        : alertRef.current,
    );
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const local = checkNewPassword(password, confirmation);
    if (local.password || local.confirmation) return showErrors({ fields: local });
    setPending(true);
    setErrors(noErrors());
    try {
      await resetPassword(token, password);
      // Every session of that account was closed, possibly this browser's own.
      await refresh().catch(() => undefined);
      const state: LoginFlash = { flash: 'password-changed' };
      navigate('/connexion', { replace: true, state });
    } catch (error) {
      setPending(false);
      showErrors(formErrorsFrom(error, FIELDS));
    }
  };

  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
          <h1 ref={headingRef} tabIndex={-1}>
            {m.resetTitle}
          </h1>
          <p className={fr.cx('fr-text--lead')}>{m.resetLead(email)}</p>
          <p>{m.resetSessionsNote}</p>
          {errors.general && (
            <FormAlert focusRef={alertRef} title={m.resetErrorTitle} description={errors.general} />
          )}
          <form onSubmit={submit} noValidate className="essaim-panel">
            {/* Lets password managers file the new password under the right account. */}
            <input type="hidden" name="username" autoComplete="username" value={email} />
            <NewPasswordFields
              idPrefix={id}
              password={password}
              confirmation={confirmation}
              onPasswordChange={setPassword}
              onConfirmationChange={setConfirmation}
              errors={errors.fields}
            />
            <Button type="submit" disabled={pending}>
              {pending ? m.resetSaving : m.resetSubmit}
            </Button>
          </form>
        </div>
      </div>
    </div>
  );
}
