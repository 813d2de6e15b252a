import { useId, useState, type FormEvent } from 'react';
import { Redirect, useLocation } from 'wouter';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { FormAlert } from '../../shared/FormAlert.js';
import { firstFieldInError, formErrorsFrom, type FormErrors } from '../../shared/formErrors.js';
import { useFormErrors } from '../../shared/useFormErrors.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { setupInstance } from './api.js';
import { authMessages as m } from './messages.js';
import { checkNewPassword, NewPasswordFields } from './NewPasswordFields.js';
import { useSession } from './session.js';

const FIELDS = ['name', 'email', 'password', 'confirmation', 'espaceName'] as const;
type Field = (typeof FIELDS)[number];

/** `/premiere-installation`: the administrator's account and the first espace, once per instance. */
export function SetupPage() {
  const { me, signedIn } = useSession();
  const [, navigate] = useLocation();
  useDocumentTitle(m.setupTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const id = useId();
  const [values, setValues] = useState<Record<Field, string>>({
    name: '',
    email: '',
    password: '',
    confirmation: '',
    espaceName: '',
  });
  const { errors, showErrors, clearErrors, alertRef } = useFormErrors(FIELDS, (field) =>
    document.getElementById(`${id}-${field === 'password' ? 'mot-de-passe' : field}`),
  );
  const [pending, setPending] = useState(false);

  if (!me.setupNeeded && !pending) return <Redirect to="/" replace />;

  const set = (field: Field) => (value: string) => setValues((v) => ({ ...v, [field]: value }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    const local: FormErrors<Field> = {
      fields: { ...checkNewPassword(values.password, values.confirmation) },
    };
    if (!values.name.trim()) local.fields.name = m.nameRequired;
    if (!values.email.trim()) local.fields.email = m.emailRequired;
    if (!values.espaceName.trim()) local.fields.espaceName = m.espaceNameRequired;
    if (firstFieldInError(local, FIELDS)) return showErrors(local);
    setPending(true);
    clearErrors();
    try {
      const user = await setupInstance({
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
        espaceName: values.espaceName.trim(),
      });
      await signedIn(user);
      const espace = user.espaces[0];
      navigate(espace ? `/espaces/${espace.id}` : '/', { replace: true });
    } catch (error) {
      setPending(false);
      showErrors(formErrorsFrom(error, FIELDS));
    }
  };

  const field = (name: Field) => ({
    state: errors.fields[name] ? ('error' as const) : ('default' as const),
    stateRelatedMessage: errors.fields[name],
  });

  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--center')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-10', 'fr-col-lg-8')}>
          <h1 ref={headingRef} tabIndex={-1}>
            {m.setupTitle}
          </h1>
          <p className={fr.cx('fr-text--lead')}>{m.setupLead}</p>
          {errors.general && (
            <FormAlert focusRef={alertRef} title={m.setupErrorTitle} description={errors.general} />
          )}
          <form onSubmit={submit} noValidate className="essaim-panel">
            <p className={fr.cx('fr-text--sm')}>{m.requiredIntro}</p>
            <fieldset className={fr.cx('fr-fieldset')}>
              <legend className={fr.cx('fr-fieldset__legend')}>
                <h2 className={fr.cx('fr-h5', 'fr-mb-1w')}>{m.setupAccountLegend}</h2>
              </legend>
              <div className={fr.cx('fr-fieldset__element')}>
                <Input
                  label={m.nameLabel}
                  hintText={m.nameHint}
                  {...field('name')}
                  nativeInputProps={{
                    id: `${id}-name`,
                    name: 'name',
                    value: values.name,
                    autoComplete: 'name',
                    'aria-required': true,
                    'aria-invalid': errors.fields.name ? true : undefined,
                    onChange: (event) => set('name')(event.target.value),
                  }}
                />
              </div>
              <div className={fr.cx('fr-fieldset__element')}>
                <Input
                  label={m.emailLabel}
                  hintText={m.emailHint}
                  {...field('email')}
                  nativeInputProps={{
                    id: `${id}-email`,
                    name: 'email',
                    type: 'email',
                    value: values.email,
                    autoComplete: 'email',
                    spellCheck: false,
                    'aria-required': true,
                    'aria-invalid': errors.fields.email ? true : undefined,
                    onChange: (event) => set('email')(event.target.value),
                  }}
                />
              </div>
              <div className={fr.cx('fr-fieldset__element')}>
                <NewPasswordFields
                  idPrefix={id}
                  password={values.password}
                  confirmation={values.confirmation}
                  onPasswordChange={set('password')}
                  onConfirmationChange={set('confirmation')}
                  errors={{ password: errors.fields.password, confirmation: errors.fields.confirmation }}
                />
              </div>
            </fieldset>
            <fieldset className={fr.cx('fr-fieldset')}>
              <legend className={fr.cx('fr-fieldset__legend')}>
                <h2 className={fr.cx('fr-h5', 'fr-mb-1w')}>{m.setupEspaceLegend}</h2>
              </legend>
              <div className={fr.cx('fr-fieldset__element')}>
                <Input
                  label={m.espaceNameLabel}
                  hintText={m.espaceNameHint}
                  {...field('espaceName')}
                  nativeInputProps={{
                    id: `${id}-espaceName`,
                    name: 'espaceName',
                    value: values.espaceName,
                    autoComplete: 'off',
                    'aria-required': true,
                    'aria-invalid': errors.fields.espaceName ? true : undefined,
                    onChange: (event) => set('espaceName')(event.target.value),
                  }}
                />
              </div>
            </fieldset>
            <Button type="submit" disabled={pending}>
              {pending ? m.settingUp : m.setupSubmit}
            </Button>
          </form>
        </div>
      </div>
    </div>
  );
}
