import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { fr } from '@codegouvfr/react-dsfr';
import { DenialReason, isDocumentId, type DocumentDto } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { getDocument } from '../documents/api.js';
import { documentsMessages } from '../documents/messages.js';
import { DisplayNameForm } from '../identity/DisplayNameForm.js';
import type { Identity } from '../identity/identityStore.js';
import { identityMessages } from '../identity/messages.js';
import { useIdentity } from '../identity/useIdentity.js';
import { PresenceList } from '../presence/PresenceList.js';
import { CollaborativeEditor } from './CollaborativeEditor.js';
import { ConnectionBadge } from './ConnectionBadge.js';
import { rememberDocument, rememberedDocument } from './documentCache.js';
import { editorMessages as m } from './messages.js';
import { useCollaborationSession } from './useCollaborationSession.js';
import { useConnectionState } from './useConnectionState.js';

type Meta = Pick<DocumentDto, 'id' | 'title' | 'kind'>;

type MetaState =
  | { status: 'loading' }
  | { status: 'ready'; doc: Meta; offline: boolean }
  | { status: 'not-found' }
  | { status: 'unreachable' }
  | { status: 'error'; message: string };

/** `/documents/:id`, loaded lazily: the editor and Yjs stay out of the first page's bundle. */
export function EditorPage() {
  const { id = '' } = useParams();
  // A new id is a new page: every state and the collaboration session start over.
  return <EditorPageFor key={id} id={id} />;
}

function EditorPageFor({ id }: { id: string }) {
  const validId = isDocumentId(id);
  const [meta, setMeta] = useState<MetaState>(validId ? { status: 'loading' } : { status: 'not-found' });
  const [attempt, setAttempt] = useState(0);
  const [denial, setDenial] = useState<string | null>(null);
  const identity = useIdentity();

  useEffect(() => {
    if (!validId) return;
    const controller = new AbortController();
    getDocument(id, controller.signal).then(
      (doc) => {
        rememberDocument(doc);
        setMeta({ status: 'ready', doc, offline: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) return setMeta({ status: 'not-found' });
        if (error instanceof ApiError && error.isNetworkError) {
          const cached = rememberedDocument(id);
          return setMeta(
            cached ? { status: 'ready', doc: cached, offline: true } : { status: 'unreachable' },
          );
        }
        setMeta({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [id, validId, attempt]);

  const retry = () => {
    setMeta({ status: 'loading' });
    setAttempt((n) => n + 1);
  };

  if (meta.status === 'not-found' || denial === DenialReason.DocumentNotFound) {
    return (
      <ErrorPage
        title={m.errors.notFoundTitle}
        code={m.errors.notFoundCode}
        lead={m.errors.notFoundLead}
        homeLabel={m.errors.home}
      />
    );
  }
  if (denial === DenialReason.Forbidden || denial === DenialReason.Unauthorized) {
    return (
      <ErrorPage
        title={m.errors.forbiddenTitle}
        code={m.errors.forbiddenCode}
        lead={m.errors.forbiddenLead}
        homeLabel={m.errors.home}
      />
    );
  }
  if (denial !== null) {
    return (
      <ErrorPage title={m.errors.serverTitle} lead={m.errors.deniedLead(denial)} homeLabel={m.errors.home} />
    );
  }
  if (meta.status === 'unreachable') {
    return (
      <ErrorPage
        title={m.errors.networkTitle}
        lead={m.errors.networkLead}
        onRetry={retry}
        retryLabel={m.errors.retry}
        homeLabel={m.errors.home}
      />
    );
  }
  if (meta.status === 'error') {
    return (
      <ErrorPage
        title={m.errors.serverTitle}
        lead={meta.message}
        onRetry={retry}
        retryLabel={m.errors.retry}
        homeLabel={m.errors.home}
      />
    );
  }
  if (meta.status === 'loading') {
    return (
      <div className={fr.cx('fr-container', 'fr-py-6w')}>
        <p role="status">{m.opening}</p>
      </div>
    );
  }
  return <DocumentView doc={meta.doc} offline={meta.offline} identity={identity} onDenied={setDenial} />;
}

function DocumentView({
  doc,
  offline,
  identity,
  onDenied,
}: {
  doc: Meta;
  offline: boolean;
  identity: Identity | null;
  onDenied: (reason: string) => void;
}) {
  useDocumentTitle(doc.title);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <Breadcrumb
        className={fr.cx('fr-mb-3w')}
        currentPageLabel={doc.title}
        segments={[{ label: m.breadcrumbHome, linkProps: { to: '/' } }]}
      />
      <div className="essaim-doc-header">
        <div>
          <Badge as="span" small severity={doc.kind === 'synthese' ? 'new' : 'info'} noIcon>
            {documentsMessages.kindLabel[doc.kind]}
          </Badge>
          <h1 ref={headingRef} tabIndex={-1} className={fr.cx('fr-mt-1w', 'fr-mb-0')}>
            {doc.title}
          </h1>
        </div>
      </div>
      {offline && <Alert className={fr.cx('fr-mt-2w')} severity="info" small description={m.offlineOpen} />}
      {identity ? (
        <Workspace documentId={doc.id} identity={identity} onDenied={onDenied} />
      ) : (
        <section className="essaim-panel fr-mt-4w" aria-labelledby="choix-nom">
          <h2 id="choix-nom">{identityMessages.formTitle}</h2>
          <DisplayNameForm mode="first" autoFocus />
        </section>
      )}
    </div>
  );
}

function Workspace({
  documentId,
  identity,
  onDenied,
}: {
  documentId: string;
  identity: Identity;
  onDenied: (reason: string) => void;
}) {
  const session = useCollaborationSession(documentId);
  useEffect(() => {
    if (session.status === 'denied') onDenied(session.reason);
  }, [session, onDenied]);
  if (session.status !== 'ready') {
    return (
      <p role="status" className={fr.cx('fr-mt-4w')}>
        {m.opening}
      </p>
    );
  }
  return <ReadyWorkspace session={session.session} identity={identity} />;
}

function ReadyWorkspace({
  session,
  identity,
}: {
  session: Parameters<typeof CollaborativeEditor>[0]['session'];
  identity: Identity;
}) {
  const connection = useConnectionState(session);
  const [readOnly, setReadOnly] = useState(session.provider.authorizedScope === 'readonly');
  useEffect(() => {
    const onAuthenticated = ({ scope }: { scope: string }) => setReadOnly(scope === 'readonly');
    session.provider.on('authenticated', onAuthenticated);
    return () => {
      session.provider.off('authenticated', onAuthenticated);
    };
  }, [session.provider]);

  return (
    <>
      <div className="essaim-doc-status">
        <ConnectionBadge state={connection} />
      </div>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mt-1w')}>
        <div className={fr.cx('fr-col-12', 'fr-col-lg-9')}>
          <CollaborativeEditor session={session} identity={identity} readOnly={readOnly} />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-lg-3')}>
          <PresenceList provider={session.provider} />
        </div>
      </div>
    </>
  );
}
