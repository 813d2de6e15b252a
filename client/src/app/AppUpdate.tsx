import { useState } from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { useServiceWorkerUpdate } from './serviceWorker.js';
import { serviceWorkerMessages as m } from './serviceWorkerMessages.js';

/**
 * The DSFR notice « Une nouvelle version d'Essaim est disponible » with its « Recharger » button,
 * once a new version waits (issue 16), fixed at the bottom of the window: seen wherever the person
 * has scrolled, and moving nothing (drawn above the header, it pushed the page down by 80 px and
 * was out of sight from the text; tester BR28). The live region (`role="status"`) is always in the
 * page, so screen readers announce the notice when it appears; focus is never moved (the person
 * may be typing), the button is reached with Tab from the top of the page (it comes first in it).
 * « Plus tard » hides it for this page (it covered a quarter of a phone's screen with no way to
 * put it away, tester BR40 M3): the new version is installed at the next load of the page anyway.
 */
export function AppUpdate() {
  const { available, reload } = useServiceWorkerUpdate();
  const [later, setLater] = useState(false);
  return (
    <div role="status" className="essaim-app-update">
      {available && !later ? (
        <div className={fr.cx('fr-notice', 'fr-notice--info')}>
          <div className={fr.cx('fr-container')}>
            <div className={fr.cx('fr-notice__body')}>
              <p>
                <span className={fr.cx('fr-notice__title')}>{m.updateTitle}</span>{' '}
                <span className={fr.cx('fr-notice__desc')}>{m.updateDescription}</span>
              </p>
              <div className="essaim-app-update__actions">
                <button
                  type="button"
                  className={fr.cx(
                    'fr-btn',
                    'fr-btn--sm',
                    'fr-btn--secondary',
                    'fr-icon-refresh-line',
                    'fr-btn--icon-left',
                  )}
                  onClick={reload}
                >
                  {m.reload}
                </button>
                <button
                  type="button"
                  className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--tertiary-no-outline')}
                  title={m.laterTitle}
                  onClick={() => setLater(true)}
                >
                  {m.later}
                </button>
              </div>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}
