import { lazy, Suspense, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Header, type HeaderProps } from '@codegouvfr/react-dsfr/Header';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { fr } from '@codegouvfr/react-dsfr';
import type { UserDto } from '@essaim/protocol';
import { sessionMessages as authMessages } from '../features/auth/sessionMessages.js';
import { useSession, type CurrentEspace } from '../features/auth/session.js';
import { useReviewQueueAccess } from '../features/reviewQueue/access.js';
import { ConfirmDialog } from '../shared/ConfirmDialog.js';
import { PageLoading } from '../shared/PageLoading.js';
import { openDocumentsHavePendingChanges } from '../shared/localData.js';
import { brandTop, homeLinkProps } from './brand.js';
import { appMessages as m } from './messages.js';
import { restoreScroll, startScrollRestoration } from './scrollRestoration.js';

/**
 * The notification bell: its own chunk, after the page's first drawing (issue 16), as it asks
 * the server for the notifications anyway. If its download fails (network cut at that moment),
 * the header goes without the bell until the next page load rather than failing whole.
 */
const NotificationCentre = lazy(() =>
  loadNotificationCentre().then(
    (module): { default: () => ReactNode } => ({ default: module.NotificationCentre }),
    () => ({ default: () => null }),
  ),
);
/**
 * The imports of the two optional parts, each in a function of its own: Vite wraps an `import()`
 * and what is chained to it in the same expression in its preload helper, which throws when a
 * stylesheet of the chunk fails after that chain has run, so a fallback chained there never
 * caught it. Offline during a first visit, the bell's stylesheet failed and the error, in the
 * header, outside every error boundary, left the whole page blank (tester BR44).
 */
function loadNotificationCentre() {
  return import('../features/comments/NotificationCentre.js');
}
function loadAppFooter() {
  return import('./AppFooter.js');
}

/**
 * The footer: its own chunk, asked as the app starts and drawn when it comes, below the first
 * screen (see AppFooter). If its download fails, the page goes without a footer until the next
 * load rather than failing whole.
 */
const AppFooter = lazy(() =>
  loadAppFooter().then(
    (module): { default: () => ReactNode } => ({ default: module.AppFooter }),
    () => ({ default: () => null }),
  ),
);

/** Asked before logging out when edits made here may not have reached the server yet. */
const unsentModal = createModal({ id: 'modale-deconnexion', isOpenedByDefault: false });

/** The espace the header is about: the one the person works in now, else their first. */
function headerEspace(user: UserDto, current: CurrentEspace | null): CurrentEspace | null {
  return current ?? user.espaces[0] ?? null;
}

/**
 * The main navigation of a logged-in person: the espace they work in (a switcher when they have
 * several), its documents and people, its themes for the animateur, its « Relecture » dashboard
 * for those the server lets read it (`readReviewQueue`), and the administration for
 * administrators.
 */
function navigationFor(
  user: UserDto,
  current: CurrentEspace | null,
  pathname: string,
  readReviewQueue: boolean,
): MainNavigationProps.Item[] {
  const items: MainNavigationProps.Item[] = [];
  const espace = headerEspace(user, current);
  const others = user.espaces.filter((e) => e.id !== espace?.id);
  if (espace && (others.length > 0 || user.isAdmin)) {
    items.push({
      text: m.navEspaceSwitcher(espace.name),
      menuLinks: [
        ...[espace, ...others].map((e) => ({
          text: e.name,
          linkProps: { to: `/espaces/${e.id}` },
          isActive: e.id === espace.id,
        })),
        ...(user.isAdmin ? [{ text: m.navAllEspaces, linkProps: { to: '/espaces' } }] : []),
      ],
    });
  }
  if (espace) {
    const base = `/espaces/${espace.id}`;
    items.push(
      {
        text: m.navDocuments,
        linkProps: { to: base },
        isActive:
          pathname === base || pathname === `${base}/nouveau-document` || pathname.startsWith('/documents/'),
      },
      {
        text: m.navPeople,
        linkProps: { to: `${base}/personnes` },
        isActive: pathname === `${base}/personnes`,
      },
    );
    // The animateur edits the espace's themes.
    if (user.espaces.find((e) => e.id === espace.id)?.role === 'animateur') {
      items.push({
        text: m.navThemes,
        linkProps: { to: `${base}/themes` },
        isActive: pathname === `${base}/themes`,
      });
      items.push({
        text: m.navSignals,
        linkProps: { to: `${base}/signalements` },
        isActive: pathname === `${base}/signalements`,
      });
    }
    // Known once the server has answered: last of the espace's entries, so that its arrival moves
    // none of the others under a pointer about to click them.
    if (readReviewQueue) {
      items.push({
        text: m.navReviewQueue,
        linkProps: { to: `${base}/relecture` },
        isActive: pathname === `${base}/relecture`,
      });
    }
  } else {
    items.push({ text: m.navEspaces, linkProps: { to: '/espaces' }, isActive: pathname === '/espaces' });
  }
  if (user.isAdmin) {
    items.push({
      text: m.navAdmin,
      linkProps: { to: '/administration' },
      isActive: pathname.startsWith('/administration'),
    });
  }
  return items;
}

/**
 * The skip link to a document's text, first of the skip links on a document's page: the text is
 * one Tab (and Enter) away from the top (issue 16). Its target is the id the editor gives its
 * text (`EDITOR_TEXT_ID`, features/editor/scrollMargin.ts; not imported here, so the first
 * download of every page does not carry the editor's code).
 */
const skipToText = { label: 'Aller au texte', anchor: '#texte-du-document' } as const;

/**
 * A new page opens at its top: a link followed far down a long page (a catalogue card) no longer
 * opens the next page scrolled by what was left of that offset (the editor opened 79 px down,
 * its header hidden; issue 16). Back and forward (`popstate`) give the page back where it was
 * once it is tall enough (scrollRestoration.ts); changes of the query alone (filters) or of the
 * hash (skip links) do not scroll.
 */
function useTopOfNewPage(pathname: string): void {
  const shown = useRef(pathname);
  useLayoutEffect(() => {
    if (shown.current === pathname) return;
    shown.current = pathname;
    if (poppedTo === window.location.pathname) restoreScroll();
    else window.scrollTo(0, 0);
    poppedTo = null;
  }, [pathname]);
}

/**
 * The path that the last back or forward (`popstate`) led to, until a new page is drawn: a link or
 * `navigate()` (`pushState` / `replaceState`) fires no `popstate`. Set by a listener added when
 * this module is evaluated, before the router's own (wouter subscribes on its first render), so
 * it is known when the new page is drawn; read and cleared by {@link useTopOfNewPage}. A path,
 * not a flag: a back or forward that changed only the hash leaves no trace on the next link.
 */
let poppedTo: string | null = null;
window.addEventListener('popstate', () => {
  poppedTo = window.location.pathname;
});
startScrollRestoration();

/** The page frame: skip links, DSFR header with navigation, main landmark, footer. */
export function Layout({ children }: { children: ReactNode }) {
  const [pathname, navigate] = useLocation();
  useTopOfNewPage(pathname);
  const session = useSession();
  const { user, me, signingOut, currentEspace } = session;
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const navEspace = user ? headerEspace(user, currentEspace) : null;
  // Asked again when the person, their role there or their administrator status changes.
  const readReviewQueue = useReviewQueueAccess(
    navEspace?.id ?? null,
    user
      ? `${user.id}:${user.espaces.find((e) => e.id === navEspace?.id)?.role ?? '-'}:${user.isAdmin ? 'admin' : '-'}`
      : '',
  );

  const signOut = async () => {
    setSignOutError(null);
    try {
      await session.signOut();
      navigate('/connexion', { replace: true });
    } catch (error) {
      setSignOutError(error instanceof Error ? error.message : String(error));
    }
  };

  const quickAccessItems: HeaderProps['quickAccessItems'] = user
    ? [
        // Until its chunk is here, the bell's word in its place, so the header does not move.
        <Suspense
          key="notifications"
          fallback={
            <span className={fr.cx('fr-btn', 'fr-icon-notification-3-line')} aria-hidden="true">
              {m.notificationsPlaceholder}
            </span>
          }
        >
          <NotificationCentre />
        </Suspense>,
        <span key="compte" className={fr.cx('fr-btn', 'fr-icon-account-circle-line') + ' essaim-account'}>
          <span className="fr-sr-only">{authMessages.accountPrefix} </span>
          {user.name}
        </span>,
        {
          iconId: 'fr-icon-logout-box-r-line',
          text: signingOut ? authMessages.signingOut : authMessages.signOut,
          buttonProps: {
            type: 'button',
            onClick: () => (openDocumentsHavePendingChanges() ? unsentModal.open() : void signOut()),
            disabled: signingOut,
          },
        },
      ]
    : me.setupNeeded || pathname === '/connexion'
      ? []
      : [
          {
            iconId: 'fr-icon-account-circle-line',
            text: authMessages.loginSubmit,
            linkProps: { to: '/connexion' },
          },
        ];

  return (
    <>
      <SkipLinks
        links={[
          ...(pathname.startsWith('/documents/') ? [skipToText] : []),
          { label: m.skipToContent, anchor: '#contenu' },
          { label: m.skipToFooter, anchor: '#pied-de-page' },
        ]}
      />
      <Header
        brandTop={brandTop}
        serviceTitle={m.serviceTitle}
        serviceTagline={m.serviceTagline}
        homeLinkProps={homeLinkProps}
        quickAccessItems={quickAccessItems}
        navigation={user ? navigationFor(user, currentEspace, pathname, readReviewQueue) : undefined}
      />
      <main id="contenu" tabIndex={-1} className="essaim-main">
        {signOutError && (
          <div className={fr.cx('fr-container', 'fr-mt-4w')}>
            <Alert
              severity="error"
              as="h2"
              title={authMessages.signOutErrorTitle}
              description={signOutError}
              closable
              onClose={() => setSignOutError(null)}
            />
          </div>
        )}
        {signingOut ? (
          // Pages (and the documents they keep open) are closed before the local copies are erased.
          <PageLoading message={authMessages.signingOut} />
        ) : (
          children
        )}
      </main>
      <Suspense fallback={null}>
        <AppFooter />
      </Suspense>
      <ConfirmDialog
        modal={unsentModal}
        title={authMessages.unsentTitle}
        confirmLabel={authMessages.unsentConfirm}
        cancelLabel={authMessages.unsentCancel}
        onConfirm={() => void signOut()}
      >
        <p>{authMessages.unsentText}</p>
      </ConfirmDialog>
    </>
  );
}
