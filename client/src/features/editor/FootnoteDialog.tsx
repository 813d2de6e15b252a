import { useId, useState } from 'react';
import type { Editor } from '@tiptap/core';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { footnotesOf, insertFootnote, removeFootnote, updateFootnote } from './footnotes.js';
import { FormDialog } from './FormDialog.js';
import { dialogMessages } from './dialogMessages.js';

const m = dialogMessages.footnote;

export const footnoteModal = createModal({ id: 'modale-note', isOpenedByDefault: false });

/** What the footnote dialog is open for: a new note at the caret, or an existing one. */
export type FootnoteRequest =
  { mode: 'insert'; key: number } | { mode: 'edit'; key: number; pos: number; text: string };

/**
 * Types a new footnote, or changes or removes an existing one. Notes are numbered by their order
 * in the document, so the dialog's title gives the number the note has now.
 */
export function FootnoteDialog({
  editor,
  request,
  announce,
}: {
  editor: Editor;
  request: FootnoteRequest | null;
  announce: (message: string) => void;
}) {
  const formId = useId();
  const fieldId = useId();
  const [form, setForm] = useState({ key: -1, text: '', error: false });
  // A new request starts from its note's text.
  const key = request?.key ?? -1;
  if (form.key !== key) setForm({ key, text: request?.mode === 'edit' ? request.text : '', error: false });

  const number =
    request?.mode === 'edit' ? footnotesOf(editor.state.doc).findIndex((n) => n.pos === request.pos) + 1 : 0;

  const submit = () => {
    if (!request) return;
    const text = form.text.trim();
    if (!text) {
      setForm((f) => ({ ...f, error: true }));
      document.getElementById(fieldId)?.focus();
      return;
    }
    if (request.mode === 'insert') {
      if (insertFootnote(editor, text)) announce(m.inserted);
    } else {
      updateFootnote(editor, request.pos, request.text, text);
    }
    footnoteModal.close();
  };

  const remove = () => {
    if (request?.mode !== 'edit') return;
    if (removeFootnote(editor, request.pos, request.text)) announce(m.removed);
    footnoteModal.close();
  };

  return (
    <FormDialog
      modal={footnoteModal}
      formId={formId}
      title={request?.mode === 'edit' && number > 0 ? m.editTitle(number) : m.insertTitle}
      submitLabel={request?.mode === 'edit' ? m.save : m.insert}
      cancelLabel={m.cancel}
      extraButton={
        request?.mode === 'edit'
          ? {
              children: m.remove,
              priority: 'tertiary',
              iconId: 'fr-icon-delete-line',
              doClosesModal: false,
              type: 'button',
              onClick: remove,
            }
          : undefined
      }
      onSubmit={submit}
      initialFocusId={fieldId}
      onClose={() => {
        if (!editor.isDestroyed) editor.commands.focus();
      }}
    >
      <Input
        label={m.label}
        hintText={m.hint}
        textArea
        state={form.error ? 'error' : 'default'}
        stateRelatedMessage={form.error ? m.required : undefined}
        nativeTextAreaProps={{
          id: fieldId,
          value: form.text,
          rows: 4,
          maxLength: 2000,
          onChange: (event) => setForm((f) => ({ ...f, text: event.target.value, error: false })),
          onKeyDown: (event) => {
            // Ctrl+Enter saves, as in most editors' dialogs; Enter alone makes a new line.
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              submit();
            }
          },
        }}
      />
    </FormDialog>
  );
}
