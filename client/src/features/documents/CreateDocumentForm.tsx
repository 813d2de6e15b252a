import { useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import type { DocumentKind } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { createDocument } from './api.js';
import { documentsMessages as m } from './messages.js';

/** The kinds the API accepts; `kindLabel` is checked against the protocol's `DocumentKind`. */
const kinds = Object.keys(m.kindLabel) as DocumentKind[];

interface FormErrors {
  title?: string;
  kind?: string;
  /** A failure not tied to a field (network, server error). */
  general?: string;
}

/** Turns an API refusal into messages shown next to the fields concerned. */
function errorsFrom(error: unknown): FormErrors {
  if (!(error instanceof ApiError)) return { general: String(error) };
  const errors: FormErrors = {};
  for (const detail of error.body.details ?? []) {
    if (detail.path === 'title' || detail.path === 'kind') errors[detail.path] ??= detail.message;
    else errors.general ??= detail.message;
  }
  if (!errors.title && !errors.kind && !errors.general) errors.general = error.message;
  return errors;
}

/**
 * Creates a document in an espace (`POST /api/documents`) and opens it. The server validates; we
 * show its words. A rapporteur who creates a document is assigned to it.
 */
export function CreateDocumentForm({
  espaceId,
  rapporteur = false,
}: {
  espaceId: string;
  rapporteur?: boolean;
}) {
  const navigate = useNavigate();
  const id = useId();
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<DocumentKind>('fiche');
  const [errors, setErrors] = useState<FormErrors>({});
  const [pending, setPending] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    setPending(true);
    setErrors({});
    try {
      const created = await createDocument({ espaceId, title, kind });
      navigate(`/documents/${created.id}`);
    } catch (error) {
      const next = errorsFrom(error);
      setErrors(next);
      setPending(false);
      // Take the person to the first problem; its message is tied to the field (aria-describedby).
      requestFocus(() =>
        next.title
          ? document.getElementById(`${id}-titre`)
          : next.kind
            ? document.getElementById(`${id}-type`)
            : alertRef.current,
      );
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={`${id}-legende`}>
      <h2 id={`${id}-legende`}>{m.createTitle}</h2>
      <p className="fr-text--sm">
        {m.createIntro}
        {rapporteur && <> {m.createIntroRapporteur}</>}
      </p>
      {errors.general && (
        <div ref={alertRef} tabIndex={-1}>
          <Alert
            severity="error"
            small={false}
            as="h3"
            title={m.createErrorTitle}
            description={errors.general}
          />
        </div>
      )}
      <Input
        label={m.titleLabel}
        hintText={m.titleHint}
        state={errors.title ? 'error' : 'default'}
        stateRelatedMessage={errors.title}
        nativeInputProps={{
          id: `${id}-titre`,
          name: 'title',
          value: title,
          autoComplete: 'off',
          'aria-required': true,
          'aria-invalid': errors.title ? true : undefined,
          onChange: (event) => setTitle(event.target.value),
        }}
      />
      <Select
        label={m.kindFieldLabel}
        state={errors.kind ? 'error' : 'default'}
        stateRelatedMessage={errors.kind}
        nativeSelectProps={{
          id: `${id}-type`,
          name: 'kind',
          value: kind,
          'aria-required': true,
          onChange: (event) => setKind(event.target.value as DocumentKind),
        }}
      >
        {kinds.map((k) => (
          <option key={k} value={k}>
            {m.kindLabel[k]}
          </option>
        ))}
      </Select>
      <Button type="submit" iconId="fr-icon-add-line" disabled={pending}>
        {pending ? m.creating : m.createSubmit}
      </Button>
    </form>
  );
}
