import { useId, useRef, useState } from 'react';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { REVIEW_MESSAGE_MAX } from '@essaim/protocol';
import { FormAlert } from '../../shared/FormAlert.js';
import { useFocusRequest } from '../../shared/useFocusRequest.js';
import { FormDialog } from '../editor/FormDialog.js';
import { reviewPanelMessages as reviewMessages } from './panelMessages.js';

const m = reviewMessages.dialog;

/** The review dialog of the editor page, opened by {@link ReviewProvider}'s steps. */
export const stepModal = createModal({ id: 'modale-relecture-etape', isOpenedByDefault: false });

/** What the dialog asks: submit one section, request changes on one, or submit several. */
export interface StepRequest {
  kind: 'submit' | 'request_changes' | 'submit_all';
  sections: { id: string; title: string }[];
}

interface FormState {
  message: string;
  /** The field's own error (a request for changes without a message). */
  error: string | null;
  /** The server's refusals. */
  refusals: { title: string; reason: string }[];
  pending: boolean;
}

const initial: FormState = { message: '', error: null, refusals: [], pending: false };

/**
 * « Soumettre » (an optional message to the animateur), « Demander des modifications » (a
 * required message, which becomes a discussion on the section) and « Soumettre toutes les
 * sections » (one optional message for all of them), in one DSFR dialog. The required message is
 * checked here with the API's rule before anything is sent; the server's refusals are shown in
 * the dialog, which then stays open with what was typed. `onSend` sends and resolves with the
 * refusals; none closes the dialog. `onClosed` runs once it is hidden (the page moves the focus).
 */
export function ReviewStepDialog({
  request,
  onSend,
  onClosed,
}: {
  request: StepRequest | null;
  onSend: (request: StepRequest, message: string) => Promise<{ title: string; reason: string }[]>;
  onClosed: () => void;
}) {
  const formId = useId();
  const fieldId = useId();
  const [form, setForm] = useState<FormState>(initial);
  const failureRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  const kind = request?.kind ?? 'submit';
  const first = request?.sections[0]?.title ?? '';
  const count = request?.sections.length ?? 0;

  const send = async () => {
    if (!request) return;
    const message = form.message.trim();
    if (kind === 'request_changes' && !message) {
      setForm((f) => ({ ...f, error: m.requestRequired, refusals: [] }));
      document.getElementById(fieldId)?.focus();
      return;
    }
    setForm((f) => ({ ...f, error: null, refusals: [], pending: true }));
    const refusals = await onSend(request, message);
    if (refusals.length === 0) {
      setForm(initial);
      stepModal.close();
      return;
    }
    setForm((f) => ({ ...f, pending: false, refusals }));
    requestFocus(() => failureRef.current);
  };

  const title =
    kind === 'submit'
      ? m.submitTitle(first)
      : kind === 'request_changes'
        ? m.requestTitle(first)
        : m.submitAllTitle;
  const submitLabel = form.pending
    ? m.pending
    : kind === 'submit'
      ? m.submit
      : kind === 'request_changes'
        ? m.request
        : m.submitAll(count);

  return (
    <FormDialog
      modal={stepModal}
      formId={formId}
      title={title}
      submitLabel={submitLabel}
      cancelLabel={m.cancel}
      pending={form.pending}
      onSubmit={() => void send()}
      onOpen={() => setForm(initial)}
      onClose={onClosed}
      initialFocusId={fieldId}
    >
      {form.refusals.length > 0 && (
        <FormAlert
          focusRef={failureRef}
          small
          as="h3"
          title={kind === 'submit_all' ? m.partialTitle : m.failedTitle}
          description={
            kind === 'submit_all'
              ? form.refusals.map((r) => m.partial(r.title, r.reason)).join(' ')
              : (form.refusals[0]?.reason ?? '')
          }
        />
      )}
      {kind === 'submit_all' ? (
        <>
          <p className={fr.cx('fr-mb-1w')}>{m.submitAllBody(count)}</p>
          <ul className={fr.cx('fr-mb-2w') + ' essaim-review-submit-list'}>
            {request?.sections.map((s) => (
              <li key={s.id}>{s.title}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>{kind === 'submit' ? m.submitIntro : m.requestIntro}</p>
      )}
      <Input
        textArea
        label={kind === 'request_changes' ? m.requestLabel : m.messageLabel}
        hintText={kind === 'request_changes' ? m.requestHint : m.messageHint}
        state={form.error ? 'error' : 'default'}
        stateRelatedMessage={form.error ?? undefined}
        nativeTextAreaProps={{
          id: fieldId,
          value: form.message,
          rows: 4,
          maxLength: REVIEW_MESSAGE_MAX,
          required: kind === 'request_changes',
          onChange: (event) => {
            const message = event.target.value;
            setForm((f) => ({ ...f, message, error: null }));
          },
        }}
      />
    </FormDialog>
  );
}
