import { useEffect } from 'react';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display';
import { brandTop, homeLinkProps } from './brand.js';
import { appMessages as m } from './messages.js';

/** The display settings' dialog (react-dsfr's `Display`), named by the button that opens it. */
const DISPLAY_DIALOG = headerFooterDisplayItem.buttonProps['aria-controls'] ?? '';

/**
 * Gives the focus back to the button that opens the display settings once their dialog is hidden:
 * the DSFR hides it over a few frames, and the focus, still on its « Fermer » as it closes, falls
 * to the page's body then. Tries each frame, for at most a second; leaves a focus that went
 * elsewhere.
 */
function giveFocusBack(framesLeft = 60): void {
  const dialog = document.getElementById(DISPLAY_DIALOG);
  const focused = document.activeElement;
  if (focused && focused !== document.body && !dialog?.contains(focused)) return;
  if (dialog && getComputedStyle(dialog).visibility === 'hidden') {
    // The footer's button (react-dsfr gives it an id; the dialog's « Fermer » and a hidden button
    // of its own name the dialog too).
    const opener = headerFooterDisplayItem.buttonProps.id;
    if (opener) document.getElementById(opener)?.focus();
    return;
  }
  if (framesLeft > 0) requestAnimationFrame(() => giveFocusBack(framesLeft - 1));
}

/**
 * The DSFR footer (with « Paramètres d’affichage », whose dialog it draws), in a chunk of its own
 * loaded with the page (issue 16): it is never in the first screen (`.essaim-main` is at least
 * the screen's height), and the footer, the display settings and their dialog were 1.9 KB
 * gzipped of every route's first JavaScript (`bench/run.ts bundle`).
 */
export function AppFooter() {
  // Closed, the display settings give the focus back to their button (WCAG 2.4.3): the DSFR left
  // it on the page's body, and a keyboard user started again from the top (tester BR41 F2).
  // (The DSFR's event, listened to here rather than through react-dsfr's `useIsModalOpen`: that
  // hook, shared with the editor's first chunk, became a chunk of its own in the editor's first
  // JavaScript.)
  useEffect(() => {
    const dialog = document.getElementById(DISPLAY_DIALOG);
    const onConceal = () => giveFocusBack();
    dialog?.addEventListener('dsfr.conceal', onConceal);
    return () => dialog?.removeEventListener('dsfr.conceal', onConceal);
  }, []);
  return (
    <Footer
      id="pied-de-page"
      brandTop={brandTop}
      homeLinkProps={homeLinkProps}
      accessibility="non compliant"
      accessibilityLinkProps={{ to: '/accessibilite' }}
      contentDescription={m.footerDescription}
      bottomItems={[headerFooterDisplayItem]}
    />
  );
}
