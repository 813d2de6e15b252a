import type { FormEvent, ReactNode } from 'react';
import type { ModalProps } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import type { DsfrModal } from '../../shared/ConfirmDialog.js';

/**
 * Focuses an element of a dialog as soon as it can take the focus. DSFR shows its modal over a few
 * frames, then focuses the first button unless the focus is already inside: focusing too early
 * does nothing and the focus would land on « Fermer ». Tries each frame, for at most a second.
 */
function focusWhenShown(id: string, framesLeft = 60): void {
  const element = document.getElementById(id);
  element?.focus();
  if (document.activeElement === element || framesLeft === 0) return;
  requestAnimationFrame(() => focusWhenShown(id, framesLeft - 1));
}

/**
 * A DSFR modal holding a small form (the editor's dialogs): Enter submits, Escape and « Annuler »
 * close, focus is trapped inside while it is open. `initialFocusId` takes the focus when it is shown,
 * `onOpen` runs then (to reset the form), `onClose` once it is hidden (to give the focus back to the
 * text).
 */
export function FormDialog({
  modal,
  formId,
  title,
  submitLabel,
  cancelLabel,
  pending = false,
  extraButton,
  onSubmit,
  onOpen,
  onClose,
  initialFocusId,
  children,
}: {
  modal: DsfrModal;
  formId: string;
  title: string;
  submitLabel?: string;
  cancelLabel: string;
  pending?: boolean;
  extraButton?: ModalProps.ActionAreaButtonProps;
  onSubmit?: () => void;
  onOpen?: () => void;
  onClose?: () => void;
  /** The field that takes the focus once the dialog is shown. */
  initialFocusId?: string;
  children: ReactNode;
}) {
  useIsModalOpen(modal, {
    onDisclose: () => {
      onOpen?.();
      if (initialFocusId) focusWhenShown(initialFocusId);
    },
    onConceal: onClose,
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!pending) onSubmit?.();
  };

  const buttons: [ModalProps.ActionAreaButtonProps, ...ModalProps.ActionAreaButtonProps[]] = [
    { children: cancelLabel, priority: 'secondary', doClosesModal: true, type: 'button' },
  ];
  if (extraButton) buttons.push(extraButton);
  if (submitLabel) {
    buttons.push({
      children: submitLabel,
      priority: 'primary',
      doClosesModal: false,
      type: 'submit',
      disabled: pending,
      nativeButtonProps: { form: formId },
    });
  }

  return (
    <modal.Component title={title} titleAs="h2" buttons={buttons}>
      <form
        id={formId}
        onSubmit={submit}
        noValidate
        // DSFR ignores Escape while a field has the focus; in these dialogs it always closes.
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return;
          event.preventDefault();
          modal.close();
        }}
      >
        {children}
      </form>
    </modal.Component>
  );
}
