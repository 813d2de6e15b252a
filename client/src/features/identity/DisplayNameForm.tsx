import { useId, useState, type FormEvent } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { colourForName } from './colour.js';
import { MAX_NAME_LENGTH, saveDisplayName, validateDisplayName } from './identityStore.js';
import { identityMessages as m } from './messages.js';

export interface DisplayNameFormProps {
  /** `first`: asked before opening a document; `change`: from the header. */
  mode: 'first' | 'change';
  initialName?: string;
  onDone?: (name: string) => void;
  onCancel?: () => void;
  /** Focus the field when the form appears (a dialog or a page that exists only for it). */
  autoFocus?: boolean;
}

/** Asks for the name shown to the others. There is no password: this is not an account. */
export function DisplayNameForm({
  mode,
  initialName = '',
  onDone,
  onCancel,
  autoFocus,
}: DisplayNameFormProps) {
  const [name, setName] = useState(initialName);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const trimmed = name.trim();

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problem = validateDisplayName(name, m);
    setError(problem);
    if (problem) {
      document.getElementById(`${id}-nom`)?.focus();
      return;
    }
    saveDisplayName(trimmed);
    onDone?.(trimmed);
  };

  return (
    <form onSubmit={submit} noValidate aria-describedby={`${id}-intro`}>
      <p id={`${id}-intro`}>{m.formIntro}</p>
      <Input
        label={m.nameLabel}
        hintText={m.nameHint}
        state={error ? 'error' : 'default'}
        stateRelatedMessage={error ?? undefined}
        nativeInputProps={{
          id: `${id}-nom`,
          name: 'nom-affiche',
          value: name,
          autoComplete: 'nickname',
          maxLength: MAX_NAME_LENGTH + 10,
          autoFocus,
          'aria-required': true,
          onChange: (event) => setName(event.target.value),
        }}
      />
      {trimmed && (
        <p className={fr.cx('fr-text--sm')}>
          {m.colourPreview}{' '}
          <span className="essaim-person-chip" style={{ backgroundColor: colourForName(trimmed) }}>
            {trimmed}
          </span>
        </p>
      )}
      <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-btns-group--left')}>
        <li>
          <Button type="submit">{mode === 'first' ? m.submitFirst : m.submitChange}</Button>
        </li>
        {onCancel && (
          <li>
            <Button type="button" priority="secondary" onClick={onCancel}>
              {m.cancel}
            </Button>
          </li>
        )}
      </ul>
    </form>
  );
}
