import { useId, useRef, useState } from 'react';
import type { Editor } from '@tiptap/core';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Upload } from '@codegouvfr/react-dsfr/Upload';
import { fr } from '@codegouvfr/react-dsfr';
import { IMAGE_TYPES, isAcceptedImage, uploadImage } from './api.js';
import { FormDialog } from './FormDialog.js';
import { dialogMessages } from './dialogMessages.js';
import { FormAlert } from '../../shared/FormAlert.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';

const m = dialogMessages.image;

export const imageModal = createModal({ id: 'modale-image', isOpenedByDefault: false });

interface FormState {
  file: File | null;
  alt: string;
  errors: { file?: string; alt?: string };
  failure: string | null;
  pending: boolean;
}

const initial: FormState = { file: null, alt: '', errors: {}, failure: null, pending: false };

/**
 * Adds an image: the file and its text alternative (required) in one form. The image is sent to
 * the server first; only its address goes into the document. A refusal shows the server's reason.
 */
export function ImageDialog({ editor, documentId }: { editor: Editor; documentId: string }) {
  const formId = useId();
  const fileId = useId();
  const altId = useId();
  const [form, setForm] = useState<FormState>(initial);
  const fileInput = useRef<HTMLInputElement>(null);
  const failureRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();

  const submit = async () => {
    const errors: FormState['errors'] = {};
    if (!form.file) errors.file = m.fileRequired;
    else if (!isAcceptedImage(form.file)) errors.file = m.fileType;
    const alt = form.alt.trim();
    if (!alt) errors.alt = m.altRequired;
    if (errors.file || errors.alt || !form.file) {
      setForm((f) => ({ ...f, errors, failure: null }));
      document.getElementById(errors.file ? fileId : altId)?.focus();
      return;
    }
    setForm((f) => ({ ...f, errors: {}, failure: null, pending: true }));
    try {
      const uploaded = await uploadImage(documentId, form.file);
      imageModal.close();
      if (!editor.isDestroyed) editor.chain().focus().setImage({ src: uploaded.url, alt }).run();
    } catch (error) {
      setForm((f) => ({
        ...f,
        pending: false,
        failure: error instanceof Error ? error.message : String(error),
      }));
      requestFocus(() => failureRef.current);
    }
  };

  return (
    <FormDialog
      modal={imageModal}
      formId={formId}
      title={m.title}
      submitLabel={form.pending ? m.uploading : m.insert}
      cancelLabel={m.cancel}
      pending={form.pending}
      onSubmit={() => void submit()}
      onOpen={() => {
        setForm(initial);
        if (fileInput.current) fileInput.current.value = '';
      }}
      initialFocusId={fileId}
      onClose={() => {
        if (!editor.isDestroyed) editor.commands.focus();
      }}
    >
      {form.failure && (
        <FormAlert focusRef={failureRef} small as="h3" title={m.failedTitle} description={form.failure} />
      )}
      <Upload
        label={m.fileLabel}
        hint={m.fileHint}
        state={form.errors.file ? 'error' : 'default'}
        stateRelatedMessage={form.errors.file}
        className={fr.cx('fr-mb-3w')}
        nativeInputProps={{
          id: fileId,
          ref: fileInput,
          accept: IMAGE_TYPES.join(','),
          onChange: (event) => {
            const file = event.target.files?.[0] ?? null;
            setForm((f) => ({ ...f, file, errors: { ...f.errors, file: undefined }, failure: null }));
          },
        }}
      />
      <Input
        label={m.altLabel}
        hintText={m.altHint}
        state={form.errors.alt ? 'error' : 'default'}
        stateRelatedMessage={form.errors.alt}
        nativeInputProps={{
          id: altId,
          value: form.alt,
          maxLength: 300,
          required: true,
          autoComplete: 'off',
          onChange: (event) => {
            const alt = event.target.value;
            setForm((f) => ({ ...f, alt, errors: { ...f.errors, alt: undefined } }));
          },
        }}
      />
    </FormDialog>
  );
}
