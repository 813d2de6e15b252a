import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display';
import { brandTop, homeLinkProps } from './brand.js';
import { appMessages as m } from './messages.js';

/**
 * The DSFR footer (with « Paramètres d’affichage », whose dialog it draws), in a chunk of its own
 * loaded with the page (issue 16): it is never in the first screen (`.essaim-main` is at least
 * the screen's height), and the footer, the display settings and their dialog were 1.9 KB
 * gzipped of every route's first JavaScript (`bench/run.ts bundle`).
 */
export function AppFooter() {
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
