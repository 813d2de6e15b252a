import type { FormEvent, ReactNode } from 'react';
import type { ModalProps } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import type { DsfrModal } from '../../shared/ConfirmDialog.js';

/**
 * A DSFR modal holding a small form (the editor's dialogs): Enter submits, Escape and « Annuler »
 * close, focus is trapped inside while it is open. `onOpen` runs when it is shown (to focus the
 * first field), `onClose` once it is hidden (to give the focus back to the text).
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
  children: ReactNode;
}) {
  useIsModalOpen(modal, { onDisclose: onOpen, onConceal: onClose });

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
      <form id={formId} onSubmit={submit} noValidate>
        {children}
      </form>
    </modal.Component>
  );
}
