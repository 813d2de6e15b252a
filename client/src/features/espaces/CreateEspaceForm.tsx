import { useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import type { EspaceDto } from '@essaim/protocol';
import { FormAlert } from '../../shared/FormAlert.js';
import { formErrorsFrom, noErrors, type FormErrors } from '../../shared/formErrors.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { createEspace } from './api.js';
import { espacesMessages as m } from './messages.js';

/** For administrators: creates an espace de travail, then points to its people page to invite. */
export function CreateEspaceForm({
  headingLevel = 'h2',
  onCreated,
}: {
  headingLevel?: 'h2' | 'h3';
  onCreated?: (espace: EspaceDto) => void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors<'name'>>(noErrors);
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<EspaceDto | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const createdRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  const Heading = headingLevel;
  const alertLevel = headingLevel === 'h2' ? 'h3' : 'h2';

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    if (!name.trim()) {
      setErrors({ fields: { name: m.espaceNameRequired } });
      requestFocus(() => document.getElementById(`${id}-nom`));
      return;
    }
    setPending(true);
    setErrors(noErrors());
    setCreated(null);
    try {
      const espace = await createEspace(name.trim());
      setCreated(espace);
      setName('');
      onCreated?.(espace);
      requestFocus(() => createdRef.current);
    } catch (error) {
      const next = formErrorsFrom(error, ['name'] as const);
      setErrors(next);
      requestFocus(() => (next.fields.name ? document.getElementById(`${id}-nom`) : alertRef.current));
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-titre`}>
      <Heading id={`${id}-titre`} className={fr.cx('fr-h4')}>
        {m.createEspaceTitle}
      </Heading>
      <p className={fr.cx('fr-text--sm')}>{m.createEspaceIntro}</p>
      {created && (
        <div ref={createdRef} tabIndex={-1} className={fr.cx('fr-mb-3w')}>
          <div className={fr.cx('fr-alert', 'fr-alert--success')}>
            {alertLevel === 'h3' ? (
              <h3 className={fr.cx('fr-alert__title')}>{m.espaceCreatedTitle}</h3>
            ) : (
              <h2 className={fr.cx('fr-alert__title')}>{m.espaceCreatedTitle}</h2>
            )}
            <p>{m.espaceCreated(created.name)}</p>
            <p>
              <Link className={fr.cx('fr-link')} to={`/espaces/${created.id}/personnes`}>
                {m.openPeople(created.name)}
              </Link>
            </p>
          </div>
        </div>
      )}
      {errors.general && (
        <FormAlert
          focusRef={alertRef}
          as={alertLevel}
          title={m.createEspaceErrorTitle}
          description={errors.general}
        />
      )}
      <Input
        label={m.espaceNameLabel}
        hintText={m.espaceNameHint}
        state={errors.fields.name ? 'error' : 'default'}
        stateRelatedMessage={errors.fields.name}
        nativeInputProps={{
          id: `${id}-nom`,
          name: 'name',
          value: name,
          autoComplete: 'off',
          'aria-required': true,
          'aria-invalid': errors.fields.name ? true : undefined,
          onChange: (event) => setName(event.target.value),
        }}
      />
      <Button type="submit" iconId="fr-icon-add-line" disabled={pending}>
        {pending ? m.creatingEspace : m.createEspaceSubmit}
      </Button>
    </form>
  );
}
