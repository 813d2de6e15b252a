import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { ForgotPasswordPage } from '../features/auth/ForgotPasswordPage.js';
import { LoginPage } from '../features/auth/LoginPage.js';
import { RequireAuth } from '../features/auth/RequireAuth.js';
import { ResetPasswordPage } from '../features/auth/ResetPasswordPage.js';
import { SessionProvider } from '../features/auth/session.js';
import { SetupPage } from '../features/auth/SetupPage.js';
import { CataloguePage } from '../features/catalogue/CataloguePage.js';
import { NewDocumentPage } from '../features/documents/NewDocumentPage.js';
import { EspaceLayout } from '../features/espaces/EspaceLayout.js';
import { EspacesPage } from '../features/espaces/EspacesPage.js';
import { HomeRedirect } from '../features/espaces/HomeRedirect.js';
import { PeoplePage } from '../features/espaces/PeoplePage.js';
import { InvitationPage } from '../features/invitations/InvitationPage.js';
import { ReviewQueuePage } from '../features/reviewQueue/ReviewQueuePage.js';
import { SignalsPage } from '../features/publication/SignalsPage.js';
import { ThemesPage } from '../features/themes/ThemesPage.js';
import { AccessibilityPage } from './AccessibilityPage.js';
import { ChunkErrorBoundary } from './ChunkErrorBoundary.js';
import { Layout } from './Layout.js';
import { appMessages as m } from './messages.js';
import { NotFoundPage } from './NotFoundPage.js';

// The editor brings Tiptap, ProseMirror and Yjs: loaded only when a document is opened.
const EditorPage = lazy(() =>
  import('../features/editor/EditorPage.js').then((module) => ({ default: module.EditorPage })),
);
// Only administrators need the administration page.
const AdminPage = lazy(() =>
  import('../features/admin/AdminPage.js').then((module) => ({ default: module.AdminPage })),
);

function PageLoading() {
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <p role="status">{m.loadingPage}</p>
    </div>
  );
}

function Lazy({ children }: { children: ReactNode }) {
  return (
    <ChunkErrorBoundary>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </ChunkErrorBoundary>
  );
}

/** The routes of the application: public pages, then pages for logged-in people. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route element={<Layout />}>
            <Route path="connexion" element={<LoginPage />} />
            <Route path="premiere-installation" element={<SetupPage />} />
            <Route path="mot-de-passe-oublie" element={<ForgotPasswordPage />} />
            <Route path="reinitialisation/:token" element={<ResetPasswordPage />} />
            <Route path="invitation/:token" element={<InvitationPage />} />
            <Route path="accessibilite" element={<AccessibilityPage />} />
            <Route element={<RequireAuth />}>
              <Route index element={<HomeRedirect />} />
              <Route path="espaces" element={<EspacesPage />} />
              <Route path="espaces/:id" element={<EspaceLayout />}>
                <Route index element={<CataloguePage />} />
                <Route path="nouveau-document" element={<NewDocumentPage />} />
                <Route path="personnes" element={<PeoplePage />} />
                <Route path="themes" element={<ThemesPage />} />
                <Route path="relecture" element={<ReviewQueuePage />} />
                <Route path="signalements" element={<SignalsPage />} />
              </Route>
              <Route
                path="documents/:id"
                element={
                  <Lazy>
                    <EditorPage />
                  </Lazy>
                }
              />
              <Route
                path="administration"
                element={
                  <Lazy>
                    <AdminPage />
                  </Lazy>
                }
              />
            </Route>
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}
