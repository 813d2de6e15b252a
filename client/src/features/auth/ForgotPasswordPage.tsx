import { useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { FormAlert } from '../../shared/FormAlert.js';
import { formErrorsFrom, noErrors, type FormErrors } from '../../shared/formErrors.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { forgotPassword } from './api.js';
import { authMessages as m } from './messages.js';

/** `/mot-de-passe-oublie`: asks for a reset link by email, or explains whom to ask without email. */
export function ForgotPasswordPage() {
  useDocumentTitle(m.forgotTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const id = useId();
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FormErrors<'email'>>(noErrors);
  const [answer, setAnswer] = useState<{ message: string; emailEnabled: boolean } | null>(null);
  const [pending, setPending] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    if (!email.trim()) {
      setErrors({ fields: { email: m.emailRequired } });
      requestFocus(() => document.getElementById(`${id}-email`));
      return;
    }
    setPending(true);
    setErrors(noErrors());
    setAnswer(null);
    try {
      setAnswer(await forgotPassword(email.trim()));
      requestFocus(() => alertRef.current);
    } catch (error) {
      const next = formErrorsFrom(error, ['email'] as const);
      setErrors(next);
      requestFocus(() => (next.fields.email ? document.getElementById(`${id}-email`) : alertRef.current));
    } finally {
      setPending(false);
    }
  };

  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8', 'fr-col-lg-6')}>
          <h1 ref={headingRef} tabIndex={-1}>
            {m.forgotTitle}
          </h1>
          <p>{m.forgotLead}</p>
          <p>{m.forgotAdminHelp}</p>
          {answer && (
            <FormAlert
              focusRef={alertRef}
              severity={answer.emailEnabled ? 'success' : 'info'}
              title={answer.emailEnabled ? m.forgotSentTitle : m.forgotNoEmailTitle}
              description={answer.message}
            />
          )}
          {errors.general && (
            <FormAlert focusRef={alertRef} title={m.forgotErrorTitle} description={errors.general} />
          )}
          <form onSubmit={submit} noValidate className="essaim-panel">
            <Input
              label={m.emailLabel}
              hintText={m.emailHint}
              state={errors.fields.email ? 'error' : 'default'}
              stateRelatedMessage={errors.fields.email}
              nativeInputProps={{
                id: `${id}-email`,
                name: 'email',
                type: 'email',
                value: email,
                autoComplete: 'email',
                spellCheck: false,
                'aria-required': true,
                'aria-invalid': errors.fields.email ? true : undefined,
                onChange: (event) => setEmail(event.target.value),
              }}
            />
            <Button type="submit" disabled={pending}>
              {pending ? m.forgotSending : m.forgotSubmit}
            </Button>
          </form>
          <p className={fr.cx('fr-mt-3w')}>
            <Link
              className={fr.cx('fr-link', 'fr-icon-arrow-left-line', 'fr-link--icon-left')}
              to="/connexion"
            >
              {m.backToLogin}
            </Link>
          </p>
        </div>
      </div>
    </div>
  );
}
