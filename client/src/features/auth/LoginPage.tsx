import { useId, useState, type FormEvent } from 'react';
import { Link, Redirect } from 'wouter';
import { useHistoryState } from 'wouter/use-browser-location';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { fr } from '@codegouvfr/react-dsfr';
import type { DemoAccountDto } from '@essaim/protocol';
import { DataTable } from '../../shared/DataTable.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { formErrorsFrom, type FormErrors } from '../../shared/formErrors.js';
import { useFormErrors } from '../../shared/useFormErrors.js';
import { RETURN_PARAM, safeReturnPath } from '../../shared/returnPath.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { login } from './api.js';
import { authMessages as m } from './messages.js';
import { useSession } from './session.js';
import { useSearchParams } from '../../shared/useSearchParams.js';

const FIELDS = ['email', 'password'] as const;
type Field = (typeof FIELDS)[number];

/** What another page tells the login page through the navigation state. */
export interface LoginFlash {
  flash: 'password-changed';
}

function isLoginFlash(state: unknown): state is LoginFlash {
  return typeof state === 'object' && state !== null && (state as LoginFlash).flash === 'password-changed';
}

/** `/connexion`: email and password; back to the page asked for (`?retour=`) once logged in. */
export function LoginPage() {
  const { me, user, signedIn, signedOutReason } = useSession();
  const [params] = useSearchParams();
  const returnTo = safeReturnPath(params.get(RETURN_PARAM));
  // The navigation's state (`navigate(path, { state })`), kept by the browser's history entry.
  const passwordChanged = isLoginFlash(useHistoryState<unknown>());
  useDocumentTitle(m.loginTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { errors, showErrors, clearErrors, alertRef } = useFormErrors(
    FIELDS,
    (field) => document.getElementById(`${id}-${field}`),
    {
      generalFirst: true,
    },
  );
  const [pending, setPending] = useState(false);
  const [filledWith, setFilledWith] = useState<string | null>(null);
  const requestFocus = useFocusRequest();

  if (me.setupNeeded) return <Redirect to="/premiere-installation" replace />;
  if (user) return <Redirect to={returnTo ?? '/'} replace />;

  /** Fills the form with a demonstration account and moves on to the submit button. */
  const fillWithDemoAccount = (account: DemoAccountDto) => {
    setEmail(account.email);
    setPassword(account.password);
    clearErrors();
    setFilledWith(account.name);
    requestFocus(() => document.getElementById(`${id}-submit`));
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const missing: FormErrors<Field> = { fields: {} };
    if (!email.trim()) missing.fields.email = m.emailRequired;
    if (!password) missing.fields.password = m.passwordRequired;
    if (missing.fields.email || missing.fields.password) return showErrors(missing);
    setPending(true);
    clearErrors();
    try {
      // Logged in: the session re-renders this page, which then sends the person on.
      await signedIn(await login({ email: email.trim(), password }));
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
            {m.loginTitle}
          </h1>
          {me.demo && (
            <Alert
              className={fr.cx('fr-mb-3w')}
              severity="info"
              as="h2"
              title={m.demoTitle}
              description={me.demoAccounts.length > 0 ? `${m.demoText} ${m.demoAccountsLead}` : m.demoText}
            />
          )}
          {me.demo && me.demoAccounts.length > 0 && (
            <DemoAccounts accounts={me.demoAccounts} onUse={fillWithDemoAccount} />
          )}
          {signedOutReason === 'ended' && !passwordChanged && (
            <Alert
              className={fr.cx('fr-mb-3w')}
              severity="warning"
              as="h2"
              title={m.sessionEndedTitle}
              description={m.sessionEndedText}
            />
          )}
          {signedOutReason === 'signed-out' && (
            <Alert
              className={fr.cx('fr-mb-3w')}
              severity="success"
              as="h2"
              title={m.signedOutTitle}
              description={m.signedOutText}
            />
          )}
          {passwordChanged && (
            <Alert
              className={fr.cx('fr-mb-3w')}
              severity="success"
              as="h2"
              title={m.passwordChangedTitle}
              description={m.passwordChangedText}
            />
          )}
          <div className="essaim-panel">
            <p>{m.loginLead}</p>
            {returnTo && signedOutReason !== 'ended' && (
              <p className={fr.cx('fr-text--sm')}>{m.returnNotice}</p>
            )}
            {errors.general && (
              <FormAlert focusRef={alertRef} title={m.loginErrorTitle} description={errors.general} />
            )}
            <form onSubmit={submit} noValidate>
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
                  autoComplete: 'username',
                  spellCheck: false,
                  'aria-required': true,
                  'aria-invalid': errors.fields.email ? true : undefined,
                  onChange: (event) => setEmail(event.target.value),
                }}
              />
              <PasswordInput
                className={fr.cx('fr-mb-1w')}
                label={m.passwordLabel}
                messagesHint=""
                messages={
                  errors.fields.password ? [{ severity: 'error', message: errors.fields.password }] : []
                }
                nativeInputProps={{
                  id: `${id}-password`,
                  name: 'password',
                  value: password,
                  autoComplete: 'current-password',
                  'aria-required': true,
                  'aria-invalid': errors.fields.password ? true : undefined,
                  onChange: (event) => setPassword(event.target.value),
                }}
              />
              <p className={fr.cx('fr-mb-4w')}>
                <Link className={fr.cx('fr-link', 'fr-text--sm')} to="/mot-de-passe-oublie">
                  {m.forgotLink}
                </Link>
              </p>
              <Button type="submit" disabled={pending} nativeButtonProps={{ id: `${id}-submit` }}>
                {pending ? m.loggingIn : m.loginSubmit}
              </Button>
            </form>
          </div>
          <p className="fr-sr-only" role="status" aria-live="polite" aria-atomic="true">
            {filledWith ? m.demoFilled(filledWith) : ''}
          </p>
          <p className={fr.cx('fr-text--sm', 'fr-mt-3w')}>{m.noAccount}</p>
        </div>
      </div>
    </div>
  );
}

/**
 * The demonstration accounts, each with a button that fills the login form. Two columns, the
 * button under the credentials, so the table fits a phone's width.
 */
function DemoAccounts({
  accounts,
  onUse,
}: {
  accounts: readonly DemoAccountDto[];
  onUse: (account: DemoAccountDto) => void;
}) {
  return (
    <DataTable caption={m.demoAccountsCaption} showCaption headers={[m.demoColAccount, m.demoColCredentials]}>
      {accounts.map((account) => (
        <tr key={account.email}>
          <th scope="row">
            {account.role}
            <br />
            <span className="essaim-muted">{account.name}</span>
          </th>
          <td>
            <span className="fr-sr-only">{m.demoEmailPrefix} </span>
            <BreakableEmail email={account.email} />
            <br />
            <span className="fr-sr-only">{m.demoPasswordPrefix} </span>
            <code>{account.password}</code>
            <br />
            <Button
              className={fr.cx('fr-mt-1w')}
              type="button"
              size="small"
              priority="secondary"
              nativeButtonProps={{ 'aria-label': m.demoUseAccountLabel(account.role, account.name) }}
              onClick={() => onUse(account)}
            >
              {m.demoUseAccount}
            </Button>
          </td>
        </tr>
      ))}
    </DataTable>
  );
}

/** An address that may wrap before its « @ » on a narrow screen instead of widening the table. */
function BreakableEmail({ email }: { email: string }) {
  const at = email.indexOf('@');
  if (at <= 0) return email;
  return (
    <>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </>
  );
}
