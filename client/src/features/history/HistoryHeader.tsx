import type { RefObject } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { historyMessages as m } from './messages.js';

/**
 * The « Historique » panel's title and « Fermer » button, the same whether the panel's code is
 * still downloading (`HistoryPanel`) or drawn (`HistoryDrawer`). The title takes the focus when the
 * panel opens (`headingRef`, `tabIndex={-1}`), so a screen reader says where the person is.
 */
export function HistoryHeader({
  headingId,
  headingRef,
  onClose,
}: {
  headingId: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onClose: () => void;
}) {
  return (
    <div className="essaim-history__header">
      <h2 id={headingId} ref={headingRef} tabIndex={-1} className={fr.cx('fr-h4', 'fr-mb-0')}>
        {m.panel.title}
      </h2>
      <button
        type="button"
        className={fr.cx('fr-btn--close', 'fr-btn')}
        title={m.panel.close}
        onClick={onClose}
      >
        {m.panel.close}
      </button>
    </div>
  );
}
