import { useId, useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { fr } from '@codegouvfr/react-dsfr';
import { documentKindNames, TITLE_MAX_LENGTH } from '@essaim/domain';
import type { DocumentKind, ThemeDto } from '@essaim/protocol';
import { FormAlert } from '../../shared/FormAlert.js';
import { lengthNotice, textLength, withinLimit } from '../metadata/lengthLimit.js';
import type { Loadable } from '../../shared/useLoad.js';
import { formErrorsFrom, type FormErrors } from '../../shared/formErrors.js';
import { useFormErrors } from '../../shared/useFormErrors.js';
import { createDocument } from './api.js';
import { documentsMessages as m } from './messages.js';

type Field = 'kind' | 'title' | 'themes';
const FIELDS: readonly Field[] = ['kind', 'title', 'themes'];

/** The server's refusal, as messages next to the fields (`themes.2` goes to the themes). */
export const createErrorsFrom = (error: unknown): FormErrors<Field> => formErrorsFrom(error, FIELDS);

/**
 * Creates a document (`POST /api/documents`): fiche or synthèse, a title, the espace's themes.
 * The server applies the template and validates; its French words are shown next to the fields.
 * On success the editor opens.
 */
export function CreateDocumentForm({
  espaceId,
  themes,
  cancelTo,
}: {
  espaceId: string;
  /** The espace's themes; archived ones are not offered. */
  themes: Loadable<ThemeDto[]>;
  cancelTo: string;
}) {
  const [, navigate] = useLocation();
  const id = useId();
  const [kind, setKind] = useState<DocumentKind>('fiche');
  const [title, setTitle] = useState('');
  const titleNotice = lengthNotice(textLength(title), TITLE_MAX_LENGTH);
  const [chosen, setChosen] = useState<string[]>([]);
  const [pending, setPending] = useState(false);
  const { errors, showErrors, clearErrors, alertRef } = useFormErrors(FIELDS, (field) =>
    field === 'title'
      ? document.getElementById(`${id}-titre`)
      : document.querySelector<HTMLElement>(`#${CSS.escape(`${id}-${field}`)} input`),
  );

  const offered = themes.status === 'ready' ? themes.value.filter((t) => !t.archived) : [];

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    // Checked here too, so the person does not wait for the server to hear it.
    if (title.trim() === '') return showErrors({ fields: { title: m.titleRequired } });
    setPending(true);
    clearErrors();
    try {
      const created = await createDocument({ espaceId, title, kind, themes: chosen });
      navigate(`/documents/${created.id}`);
    } catch (error) {
      setPending(false);
      // Take the person to the first problem; its message is tied to the field.
      showErrors(createErrorsFrom(error));
    }
  };

  const toggleTheme = (themeId: string, checked: boolean) =>
    setChosen((current) => (checked ? [...current, themeId] : current.filter((t) => t !== themeId)));

  return (
    <form onSubmit={submit} noValidate aria-describedby={`${id}-obligatoires`}>
      <p id={`${id}-obligatoires`} className={fr.cx('fr-text--sm')}>
        {m.requiredFields}
      </p>
      {errors.general && (
        <FormAlert focusRef={alertRef} as="h2" title={m.createErrorTitle} description={errors.general} />
      )}
      <RadioButtons
        id={`${id}-kind`}
        legend={m.kindFieldLabel}
        name="kind"
        state={errors.fields.kind ? 'error' : 'default'}
        stateRelatedMessage={errors.fields.kind}
        options={documentKindNames.map((k) => ({
          label: m.kindLabel[k],
          hintText: m.kindDescription[k],
          nativeInputProps: { value: k, checked: kind === k, onChange: () => setKind(k) },
        }))}
      />
      <Input
        label={m.titleLabel}
        hintText={m.titleHint}
        state={errors.fields.title ? 'error' : titleNotice ? 'info' : 'default'}
        stateRelatedMessage={errors.fields.title ?? titleNotice ?? undefined}
        nativeInputProps={{
          id: `${id}-titre`,
          name: 'title',
          value: title,
          autoComplete: 'off',
          'aria-required': true,
          'aria-invalid': errors.fields.title ? true : undefined,
          onChange: (event) => setTitle(withinLimit(title, event.target.value, TITLE_MAX_LENGTH)),
        }}
      />
      {themes.status === 'loading' && <p className="essaim-muted">{m.themesLoading}</p>}
      {themes.status === 'error' && <p className="essaim-muted">{m.themesUnavailable}</p>}
      {themes.status === 'ready' && offered.length === 0 && <p className="essaim-muted">{m.themesNone}</p>}
      {offered.length > 0 && (
        <Checkbox
          id={`${id}-themes`}
          legend={m.themesLabel}
          hintText={m.themesHint}
          state={errors.fields.themes ? 'error' : 'default'}
          stateRelatedMessage={errors.fields.themes}
          options={offered.map((theme) => ({
            label: theme.label,
            nativeInputProps: {
              name: 'themes',
              value: theme.id,
              checked: chosen.includes(theme.id),
              onChange: (event) => toggleTheme(theme.id, event.target.checked),
            },
          }))}
        />
      )}
      <ul
        className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md', 'fr-btns-group--icon-left', 'fr-mt-4w')}
      >
        <li>
          <Button type="submit" iconId="fr-icon-add-line" disabled={pending}>
            {pending ? m.creating : m.createSubmit}
          </Button>
        </li>
        <li>
          <Button priority="secondary" linkProps={{ to: cancelTo }}>
            {m.cancel}
          </Button>
        </li>
      </ul>
    </form>
  );
}
