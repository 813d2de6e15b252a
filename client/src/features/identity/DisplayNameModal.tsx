import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { useIsModalOpen } from '@codegouvfr/react-dsfr/Modal/useIsModalOpen';
import { DisplayNameForm } from './DisplayNameForm.js';
import { identityMessages as m } from './messages.js';
import { useIdentity } from './useIdentity.js';

/** The DSFR dialog (opened from the header) where the display name can be changed at any time. */
export const displayNameModal = createModal({ id: 'modale-nom-affiche', isOpenedByDefault: false });

export function DisplayNameModal() {
  const identity = useIdentity();
  const isOpen = useIsModalOpen(displayNameModal);
  return (
    <displayNameModal.Component title={m.modalTitle} titleAs="h2">
      {/* Re-mounted at each opening so the field starts from the current name. */}
      {isOpen && (
        <DisplayNameForm
          mode="change"
          initialName={identity?.name ?? ''}
          onDone={() => displayNameModal.close()}
          onCancel={() => displayNameModal.close()}
          autoFocus
        />
      )}
    </displayNameModal.Component>
  );
}
