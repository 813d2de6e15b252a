import { lazy, Suspense, type LazyExoticComponent, type ReactNode } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { RequireAuth } from '../features/auth/RequireAuth.js';
import { SessionProvider } from '../features/auth/session.js';
import { openEarlyCollabSocket } from '../features/editor/earlySocket.js';
import { EspaceLayout } from '../features/espaces/EspaceLayout.js';
import { HomeRedirect } from '../features/espaces/HomeRedirect.js';
import { AppUpdate } from './AppUpdate.js';
import { ChunkErrorBoundary } from './ChunkErrorBoundary.js';
import { Layout } from './Layout.js';
import { appMessages as m } from './messages.js';
import { NotFoundPage } from './NotFoundPage.js';
import { PageLoading } from '../shared/PageLoading.js';

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

// The catalogue of an espace, the first page of most visits (`/` leads there), in a chunk of its
// own so that the editor's first page does not download it (issue 16). The server preloads it
// with a logged-in request for `/espaces/:id` (server/src/http/staticClientPreload.ts); its
// download also starts as the app starts when the address is the catalogue's or `/`, in parallel
// with the session's request, not once the page is rendered. Tried before (2026-11-30, 06:10) it
// made the catalogue's first visit 0.5 s slower: rolldown then cut 18 small chunks out of the
// entry, fetched one after the other; the entry's modules are now one chunk (vite.config.ts).
// A failure here is shown by the page's ChunkErrorBoundary.
const loadCatalogue = () => import('../features/catalogue/CataloguePage.js');
const CataloguePage = lazyPage(loadCatalogue, 'CataloguePage');
if (/^\/(?:espaces\/[^/]+\/?)?$/i.test(window.location.pathname)) void loadCatalogue().catch(() => undefined);

// The login page, the first page of a visitor without a session: a chunk of its own, so that the
// pages of people logged in do not download it (issue 16: 2.6 KB gzipped of the editor's first
// JavaScript). The server preloads it for a request without a session cookie
// (server/src/http/staticClientPreload.ts), and the app asks for it as it starts on `/connexion`.
const loadLogin = () => import('../features/auth/LoginPage.js');
const LoginPage = lazyPage(loadLogin, 'LoginPage');
if (/^\/connexion\/?$/i.test(window.location.pathname)) void loadLogin().catch(() => undefined);

// The editor brings Tiptap, ProseMirror and Yjs: loaded only when a document is opened. Once its
// chunk has run, its panels' chunk (`panels.lazy.ts`: panels, dialogs, comments, table editing) is
// asked at once rather than at the page's first render. The text does not wait for it (it waits
// for `textFrame.lazy.ts`, which the server preloads with the page); the server no longer preloads
// it either: preloaded with the editor's chunks it shared the line with them and delayed the text
// by as much (issue 16, server/src/http/staticClientPreload.ts).
const loadEditor = () =>
  import('../features/editor/EditorPage.js').then((module) => {
    module.startLoadingLatePanels();
    return module;
  });
const EditorPage = lazyPage(loadEditor, 'EditorPage');
// On a document's address, its collaboration socket opens now, while the editor's JavaScript comes
// and runs (issue 16, earlySocket.ts).
openEarlyCollabSocket();
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

/** A lazily loaded page: « Chargement de la page… » meanwhile, an explained error if it fails. */
function Lazy({ page: LazyPage }: { page: LazyExoticComponent<Page> }): ReactNode {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<PageLoading message={m.loadingPage} />}>
        <LazyPage />
      </Suspense>
    </ChunkErrorBoundary>
  );
}

/**
 * The paths of one espace's pages, `/espaces/:id` and its five sub-pages: one route, so the espace
 * (`EspaceLayout`, which loads it once) stays mounted from one of its pages to the next. Like the
 * other patterns (regexparam), case-insensitive and with an optional trailing slash.
 */
const ESPACE_PAGES =
  /^\/espaces\/(?<id>[^/]+)(?:\/(?:nouveau-document|personnes|themes|relecture|signalements))?\/?$/i;

/**
 * The routes of the application (wouter: the first route of a `Switch` whose path matches is
 * drawn): public pages, then pages for logged-in people (`RequireAuth`), then « page not found »;
 * above them, the notice of a new version (service worker), shown whatever the page and the
 * session's state.
 */
export function App() {
  return (
    <>
      <AppUpdate />
      <SessionProvider>
        <Layout>
          <Switch>
            <Route path="/connexion">
              <Lazy page={LoginPage} />
            </Route>
            <Route path="/premiere-installation">
              <Lazy page={SetupPage} />
            </Route>
            <Route path="/mot-de-passe-oublie">
              <Lazy page={ForgotPasswordPage} />
            </Route>
            <Route path="/reinitialisation/:token">
              <Lazy page={ResetPasswordPage} />
            </Route>
            <Route path="/invitation/:token">
              <Lazy page={InvitationPage} />
            </Route>
            <Route path="/accessibilite">
              <Lazy page={AccessibilityPage} />
            </Route>
            {/* The page's own file, as some bookmarks and the service worker name it. */}
            <Route path="/index.html">
              <Redirect to="/" replace />
            </Route>
            <Route path="/">
              <RequireAuth>
                <HomeRedirect />
              </RequireAuth>
            </Route>
            <Route path="/espaces">
              <RequireAuth>
                <Lazy page={EspacesPage} />
              </RequireAuth>
            </Route>
            <Route path={ESPACE_PAGES}>
              <RequireAuth>
                <EspaceLayout>
                  <Switch>
                    <Route path="/espaces/:id/nouveau-document">
                      <Lazy page={NewDocumentPage} />
                    </Route>
                    <Route path="/espaces/:id/personnes">
                      <Lazy page={PeoplePage} />
                    </Route>
                    <Route path="/espaces/:id/themes">
                      <Lazy page={ThemesPage} />
                    </Route>
                    <Route path="/espaces/:id/relecture">
                      <Lazy page={ReviewQueuePage} />
                    </Route>
                    <Route path="/espaces/:id/signalements">
                      <Lazy page={SignalsPage} />
                    </Route>
                    <Route>
                      <Lazy page={CataloguePage} />
                    </Route>
                  </Switch>
                </EspaceLayout>
              </RequireAuth>
            </Route>
            <Route path="/documents/:id">
              <RequireAuth>
                <Lazy page={EditorPage} />
              </RequireAuth>
            </Route>
            <Route path="/administration">
              <RequireAuth>
                <Lazy page={AdminPage} />
              </RequireAuth>
            </Route>
            <Route>
              <NotFoundPage />
            </Route>
          </Switch>
        </Layout>
      </SessionProvider>
    </>
  );
}
