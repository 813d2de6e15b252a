import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { fr } from '@codegouvfr/react-dsfr';
import { DocumentListPage } from '../features/documents/DocumentListPage.js';
import { AccessibilityPage } from './AccessibilityPage.js';
import { ChunkErrorBoundary } from './ChunkErrorBoundary.js';
import { Layout } from './Layout.js';
import { appMessages as m } from './messages.js';
import { NotFoundPage } from './NotFoundPage.js';

// The editor brings Tiptap, ProseMirror and Yjs: loaded only when a document is opened.
const EditorPage = lazy(() =>
  import('../features/editor/EditorPage.js').then((module) => ({ default: module.EditorPage })),
);

function PageLoading() {
  return (
    <div className={fr.cx('fr-container', 'fr-py-6w')}>
      <p role="status">{m.loadingPage}</p>
    </div>
  );
}

/** The routes of the application. */
export function App() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<DocumentListPage />} />
          <Route
            path="documents/:id"
            element={
              <ChunkErrorBoundary>
                <Suspense fallback={<PageLoading />}>
                  <EditorPage />
                </Suspense>
              </ChunkErrorBoundary>
            }
          />
          <Route path="accessibilite" element={<AccessibilityPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}
