import { useId, useState, type FormEvent } from 'react';
import { useLocation, useParams } from 'wouter';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import { FormAlert } from '../../shared/FormAlert.js';
import { OneTimeLink, type OneTimeLinkMessages } from '../../shared/OneTimeLink.js';
import { formErrorsFrom } from '../../shared/formErrors.js';
import { useFormErrors } from '../../shared/useFormErrors.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { checkPasswordReset, resetPassword } from './api.js';
import type { LoginFlash } from './LoginPage.js';
import { authMessages as m } from './messages.js';
import { checkNewPassword, NewPasswordFields } from './NewPasswordFields.js';
import { useSession } from './session.js';

const FIELDS = ['password', 'confirmation'] as const;

/** `/reinitialisation/:token`: a new password from a one-time link (by email or from the administrator). */
export function ResetPasswordPage() {
  const { token = '' } = useParams();
  return (
    <OneTimeLink token={token} check={checkPasswordReset} messages={linkMessages}>
      {({ email }) => <ResetForm token={token} email={email} />}
    </OneTimeLink>
  );
}

const linkMessages: OneTimeLinkMessages = {
  checking: m.checkingLink,
  goneTitle: m.linkGoneTitle,
  notFoundTitle: m.linkNotFoundTitle,
  errorTitle: m.resetErrorTitle,
  code410: m.linkErrorCode410,
  code404: m.linkErrorCode404,
  retry: m.retry,
  askAgain: m.askNewLink,
  homeLabel: m.forgotTitle,
  homeTo: '/mot-de-passe-oublie',
};

function ResetForm({ token, email }: { token: string; email: string }) {
  useDocumentTitle(m.resetTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { refresh } = useSession();
  const [, navigate] = useLocation();
  const id = useId();
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { errors, showErrors, clearErrors, alertRef } = useFormErrors(FIELDS, (field) =>
    document.getElementById(`${id}-${field === 'password' ? 'mot-de-passe' : field}`),
  );
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const local = checkNewPassword(password, confirmation);
    if (local.password || local.confirmation) return showErrors({ fields: local });
    setPending(true);
    clearErrors();
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
