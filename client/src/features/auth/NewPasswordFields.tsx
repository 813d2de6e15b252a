import { PasswordInput } from '@codegouvfr/react-dsfr/blocks/PasswordInput';
import { fr } from '@codegouvfr/react-dsfr';
import { PASSWORD_MIN_LENGTH } from '@essaim/protocol';
import { authMessages as m } from './messages.js';

export interface NewPasswordErrors {
  password?: string;
  confirmation?: string;
}

/** Checks a new password before sending it; the server checks again and has the last word. */
export function checkNewPassword(password: string, confirmation: string): NewPasswordErrors {
  const errors: NewPasswordErrors = {};
  if (password.length < PASSWORD_MIN_LENGTH) errors.password = m.passwordTooShort(PASSWORD_MIN_LENGTH);
  else if (password !== confirmation) errors.confirmation = m.passwordsDiffer;
  return errors;
}

export interface NewPasswordFieldsProps {
  /** Prefix of the two inputs' ids (`<prefix>-mot-de-passe`, `<prefix>-confirmation`). */
  idPrefix: string;
  password: string;
  confirmation: string;
  onPasswordChange: (value: string) => void;
  onConfirmationChange: (value: string) => void;
  errors: NewPasswordErrors;
}

/**
 * A new password and its confirmation (DSFR password input, with « Afficher »). The rule, a
 * minimum length, is shown from the start and turns to « Validé » once met.
 */
export function NewPasswordFields({
  idPrefix,
  password,
  confirmation,
  onPasswordChange,
  onConfirmationChange,
  errors,
}: NewPasswordFieldsProps) {
  const lengthMet = password.length >= PASSWORD_MIN_LENGTH;
  return (
    <>
      <PasswordInput
        className={fr.cx('fr-mb-3w')}
        label={m.newPasswordLabel}
        hintText={m.newPasswordHint(PASSWORD_MIN_LENGTH)}
        // « Votre mot de passe doit contenir : » introduces the rule, not an error sentence.
        messagesHint={errors.password ? '' : undefined}
        messages={[
          errors.password
            ? { severity: 'error', message: errors.password }
            : {
                severity: lengthMet ? 'valid' : 'info',
                message: m.passwordRule(PASSWORD_MIN_LENGTH),
              },
        ]}
        nativeInputProps={{
          id: `${idPrefix}-mot-de-passe`,
          name: 'password',
          value: password,
          autoComplete: 'new-password',
          'aria-required': true,
          'aria-invalid': errors.password ? true : undefined,
          onChange: (event) => onPasswordChange(event.target.value),
        }}
      />
      <PasswordInput
        className={fr.cx('fr-mb-3w')}
        label={m.confirmPasswordLabel}
        hintText={m.confirmPasswordHint}
        messagesHint=""
        messages={errors.confirmation ? [{ severity: 'error', message: errors.confirmation }] : []}
        nativeInputProps={{
          id: `${idPrefix}-confirmation`,
          name: 'password-confirmation',
          value: confirmation,
          autoComplete: 'new-password',
          'aria-required': true,
          'aria-invalid': errors.confirmation ? true : undefined,
          onChange: (event) => onConfirmationChange(event.target.value),
        }}
      />
    </>
  );
}
