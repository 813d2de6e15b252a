import { useId, useRef, useState } from 'react';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { Input } from '@codegouvfr/react-dsfr/Input';
import {
  nameVersionInput,
  tooLongMessage,
  VERSION_LABEL_MAX,
  VERSION_LABEL_SUBJECT,
  type VersionDto,
} from '@essaim/protocol';
import { FormAlert } from '../../shared/FormAlert.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { FormDialog } from '../editor/FormDialog.js';
import { nameVersion } from './api.js';
import { historyMessages } from './messages.js';

const m = historyMessages.name;
/** Said once the field is full: it takes no more (its `maxLength`), and says why (tester F12). */
const tooLong = tooLongMessage(VERSION_LABEL_SUBJECT, VERSION_LABEL_MAX);

/** « Enregistrer une version »: opened by a button carrying `nameVersionModal.buttonProps`. */
export const nameVersionModal = createModal({ id: 'modale-version-nommee', isOpenedByDefault: false });

interface FormState {
  label: string;
  error: string | null;
  failure: string | null;
  pending: boolean;
}

const initial: FormState = { label: '', error: null, failure: null, pending: false };

/**
 * The DSFR dialog that names a version of the current text. The label is checked here with the
 * API's own rule (`nameVersionInput`: not blank, 200 characters at most; its French messages), then
 * by the server, whose refusal is shown in the dialog. `onSaved` gets the new version once the
 * dialog is closed; the focus goes back to the button that opened it.
 */
export function NameVersionDialog({
  documentId,
  onSaved,
}: {
  documentId: string;
  onSaved: (version: VersionDto) => void;
}) {
  const formId = useId();
  const inputId = useId();
  const [form, setForm] = useState<FormState>(initial);
  const failureRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  const submit = async () => {
    const parsed = nameVersionInput.safeParse({ label: form.label });
    if (!parsed.success) {
      setForm((f) => ({ ...f, error: parsed.error.issues[0]?.message ?? m.failedTitle, failure: null }));
      document.getElementById(inputId)?.focus();
      return;
    }
    setForm((f) => ({ ...f, error: null, failure: null, pending: true }));
    try {
      const version = await nameVersion(documentId, parsed.data.label.trim());
      setForm(initial);
      nameVersionModal.close();
      onSaved(version);
    } catch (error) {
      setForm((f) => ({
        ...f,
        pending: false,
        failure: error instanceof Error ? error.message : String(error),
      }));
      requestFocus(() => failureRef.current);
    }
  };

  const full = form.label.length >= VERSION_LABEL_MAX;

  return (
    <FormDialog
      modal={nameVersionModal}
      formId={formId}
      title={m.title}
      submitLabel={form.pending ? m.pending : m.submit}
      cancelLabel={m.cancel}
      pending={form.pending}
      onSubmit={() => void submit()}
      onOpen={() => setForm(initial)}
      // Closed by « Annuler », Escape or a success: back to « Enregistrer une version ».
      onClose={() => document.getElementById(nameVersionModal.buttonProps.id)?.focus()}
      initialFocusId={inputId}
    >
      {form.failure && (
        <FormAlert focusRef={failureRef} small as="h3" title={m.failedTitle} description={form.failure} />
      )}
      <Input
        label={m.label}
        hintText={m.hint}
        state={form.error ? 'error' : full ? 'info' : 'default'}
        stateRelatedMessage={form.error ?? (full ? tooLong : undefined)}
        nativeInputProps={{
          id: inputId,
          value: form.label,
          // In UTF-16 units, never more than the code points the server counts: never refused.
          maxLength: VERSION_LABEL_MAX,
          required: true,
          autoComplete: 'off',
          onChange: (event) => {
            const label = event.target.value;
            setForm((f) => ({ ...f, label, error: null }));
          },
        }}
      />
    </FormDialog>
  );
}
