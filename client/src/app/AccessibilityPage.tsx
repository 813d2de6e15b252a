import { fr } from '@codegouvfr/react-dsfr';
import { useDocumentTitle } from '../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../shared/useFocusOnMount.js';
import { appMessages as m } from './messages.js';

/** The accessibility statement the DSFR footer links to (RGAA requires one). */
export function AccessibilityPage() {
  useDocumentTitle(m.accessibilityTitle);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <div className={fr.cx('fr-grid-row')}>
        <div className={fr.cx('fr-col-12', 'fr-col-md-8')}>
          <h1 ref={headingRef} tabIndex={-1}>
            {m.accessibilityTitle}
          </h1>
          <p className={fr.cx('fr-text--lead')}>{m.accessibilityStatus}</p>
          <p>{m.accessibilityText}</p>
          <p>{m.accessibilityContact}</p>
        </div>
      </div>
    </div>
  );
}
