import { lazy, Suspense, type LazyExoticComponent, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { LoginPage } from '../features/auth/LoginPage.js';
import { RequireAuth } from '../features/auth/RequireAuth.js';
import { SessionProvider } from '../features/auth/session.js';
// In the entry: the first page of most visits. As a chunk of its own the editor's first JavaScript
// was 5.5 KB lighter but the catalogue's first visit on a slow line 1 s slower (2,588 against
// 1,573 ms, bench/firstVisit.ts, 2026-11-30): more requests one after the other.
import { CataloguePage } from '../features/catalogue/CataloguePage.js';
import { EspaceLayout } from '../features/espaces/EspaceLayout.js';
import { HomeRedirect } from '../features/espaces/HomeRedirect.js';
import { AppUpdate } from './AppUpdate.js';
import { ChunkErrorBoundary } from './ChunkErrorBoundary.js';
import { Layout } from './Layout.js';
import { appMessages as m } from './messages.js';
import { NotFoundPage } from './NotFoundPage.js';

/**
 * A page loaded on first use (issue 16: the first visit downloads the login page, the shell and
 * the catalogue only). `load` imports the page's module; `name` is the component it exports.
 */
type Page = () => ReactNode;

function lazyPage<K extends string>(
  load: () => Promise<Record<K, Page>>,
  name: K,
): LazyExoticComponent<Page> {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

// The editor brings Tiptap, ProseMirror and Yjs: loaded only when a document is opened.
const EditorPage = lazyPage(() => import('../features/editor/EditorPage.js'), 'EditorPage');
// Only administrators need the administration page.
const AdminPage = lazyPage(() => import('../features/admin/AdminPage.js'), 'AdminPage');
// Pages reached from a link or a menu, never the first page of a visit to the catalogue.
const SetupPage = lazyPage(() => import('../features/auth/SetupPage.js'), 'SetupPage');
const ForgotPasswordPage = lazyPage(
  () => import('../features/auth/ForgotPasswordPage.js'),
  'ForgotPasswordPage',
);
const ResetPasswordPage = lazyPage(
  () => import('../features/auth/ResetPasswordPage.js'),
  'ResetPasswordPage',
);
const InvitationPage = lazyPage(() => import('../features/invitations/InvitationPage.js'), 'InvitationPage');
const AccessibilityPage = lazyPage(() => import('./AccessibilityPage.js'), 'AccessibilityPage');
const EspacesPage = lazyPage(() => import('../features/espaces/EspacesPage.js'), 'EspacesPage');
const NewDocumentPage = lazyPage(() => import('../features/documents/NewDocumentPage.js'), 'NewDocumentPage');
const PeoplePage = lazyPage(() => import('../features/espaces/PeoplePage.js'), 'PeoplePage');
const ThemesPage = lazyPage(() => import('../features/themes/ThemesPage.js'), 'ThemesPage');
const ReviewQueuePage = lazyPage(
  () => import('../features/reviewQueue/ReviewQueuePage.js'),
  'ReviewQueuePage',
);
const SignalsPage = lazyPage(() => import('../features/publication/SignalsPage.js'), 'SignalsPage');

function PageLoading() {
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <p role="status">{m.loadingPage}</p>
    </div>
  );
}

/** A lazily loaded page: « Chargement de la page… » meanwhile, an explained error if it fails. */
function Lazy({ page: LazyPage }: { page: LazyExoticComponent<Page> }): ReactNode {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<PageLoading />}>
        <LazyPage />
      </Suspense>
    </ChunkErrorBoundary>
  );
}

/**
 * The routes of the application: public pages, then pages for logged-in people; above them, the
 * notice of a new version (service worker), shown whatever the page and the session's state.
 */
export function App() {
  return (
    <>
      <AppUpdate />
      <BrowserRouter>
        <SessionProvider>
          <Routes>
            <Route element={<Layout />}>
              <Route path="connexion" element={<LoginPage />} />
              <Route path="premiere-installation" element={<Lazy page={SetupPage} />} />
              <Route path="mot-de-passe-oublie" element={<Lazy page={ForgotPasswordPage} />} />
              <Route path="reinitialisation/:token" element={<Lazy page={ResetPasswordPage} />} />
              <Route path="invitation/:token" element={<Lazy page={InvitationPage} />} />
              <Route path="accessibilite" element={<Lazy page={AccessibilityPage} />} />
              <Route element={<RequireAuth />}>
                <Route index element={<HomeRedirect />} />
                <Route path="espaces" element={<Lazy page={EspacesPage} />} />
                <Route path="espaces/:id" element={<EspaceLayout />}>
                  <Route index element={<CataloguePage />} />
                  <Route path="nouveau-document" element={<Lazy page={NewDocumentPage} />} />
                  <Route path="personnes" element={<Lazy page={PeoplePage} />} />
                  <Route path="themes" element={<Lazy page={ThemesPage} />} />
                  <Route path="relecture" element={<Lazy page={ReviewQueuePage} />} />
                  <Route path="signalements" element={<Lazy page={SignalsPage} />} />
                </Route>
                <Route path="documents/:id" element={<Lazy page={EditorPage} />} />
                <Route path="administration" element={<Lazy page={AdminPage} />} />
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </SessionProvider>
      </BrowserRouter>
    </>
  );
}
