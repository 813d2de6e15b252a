import type { ReactNode } from 'react';
import type { createModal } from '@codegouvfr/react-dsfr/Modal';
import { sharedMessages as m } from './messages.js';

export type DsfrModal = ReturnType<typeof createModal>;

export interface ConfirmDialogProps {
  /** A DSFR modal made once, at module level, with `createModal({ id, isOpenedByDefault: false })`. */
  modal: DsfrModal;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Default « Annuler ». */
  cancelLabel?: string;
  onConfirm: () => void;
}

/**
 * Asks before an action that cannot be undone from here (DSFR modal: focus trapped inside, Escape
 * and « Fermer » cancel, focus back to the button that opened it).
 */
export function ConfirmDialog({
  modal,
  title,
  children,
  confirmLabel,
  cancelLabel = m.cancel,
  onConfirm,
}: ConfirmDialogProps) {
  return (
    <modal.Component
      title={title}
      titleAs="h2"
      buttons={[
        { children: cancelLabel, priority: 'secondary', doClosesModal: true },
        { children: confirmLabel, onClick: onConfirm, doClosesModal: true },
      ]}
    >
      {children}
    </modal.Component>
  );
}
