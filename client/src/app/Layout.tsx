import { Outlet, useLocation } from 'react-router';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { DisplayNameModal, displayNameModal } from '../features/identity/DisplayNameModal.js';
import { identityMessages } from '../features/identity/messages.js';
import { useIdentity } from '../features/identity/useIdentity.js';
import { appMessages as m } from './messages.js';

const brandTop = (
  <>
    {m.brandTop[0]}
    <br />
    {m.brandTop[1]}
  </>
);
const homeLinkProps = { to: '/', title: m.homeLinkTitle };

/** The page frame: skip links, DSFR header with navigation, main landmark, footer. */
export function Layout() {
  const { pathname } = useLocation();
  const identity = useIdentity();
  return (
    <>
      <SkipLinks
        links={[
          { label: m.skipToContent, anchor: '#contenu' },
          { label: m.skipToFooter, anchor: '#pied-de-page' },
        ]}
      />
      <Header
        brandTop={brandTop}
        serviceTitle={m.serviceTitle}
        serviceTagline={m.serviceTagline}
        homeLinkProps={homeLinkProps}
        quickAccessItems={[
          {
            iconId: 'fr-icon-user-line',
            text: identity
              ? identityMessages.headerButton(identity.name)
              : identityMessages.headerButtonEmpty,
            buttonProps: { ...displayNameModal.buttonProps, type: 'button' },
          },
        ]}
        navigation={[
          {
            text: m.navDocuments,
            linkProps: { to: '/' },
            isActive: pathname === '/' || pathname.startsWith('/documents/'),
          },
        ]}
      />
      <main id="contenu" tabIndex={-1} className="essaim-main">
        <Outlet />
      </main>
      <Footer
        id="pied-de-page"
        brandTop={brandTop}
        homeLinkProps={homeLinkProps}
        accessibility="non compliant"
        accessibilityLinkProps={{ to: '/accessibilite' }}
        contentDescription={m.footerDescription}
        bottomItems={[headerFooterDisplayItem]}
      />
      <DisplayNameModal />
    </>
  );
}
