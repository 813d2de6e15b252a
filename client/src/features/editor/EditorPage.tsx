import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Notice } from '@codegouvfr/react-dsfr/Notice';
import { fr } from '@codegouvfr/react-dsfr';
import { DenialReason, isDocumentId, type DocumentDto, type UserDto } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { rememberDocument, rememberedDocument } from '../../shared/localData.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useCurrentUser, useSession } from '../auth/session.js';
import { getDocument } from '../documents/api.js';
import { documentsMessages } from '../documents/messages.js';
import { PresenceList } from '../presence/PresenceList.js';
import { CollaborativeEditor } from './CollaborativeEditor.js';
import { ConnectionBadge } from './ConnectionBadge.js';
import { editorMessages as m } from './messages.js';
import {
  useCollaborationSession,
  useDocumentAccess,
  type Access,
  type CollaborationSession,
} from './useCollaborationSession.js';
import { useConnectionState } from './useConnectionState.js';

type Meta = Pick<DocumentDto, 'id' | 'title' | 'kind' | 'espaceId' | 'access'>;

type MetaState =
  | { status: 'loading' }
  | { status: 'ready'; doc: Meta; offline: boolean }
  | { status: 'not-found' }
  | { status: 'forbidden' }
  | { status: 'unreachable' }
  | { status: 'error'; message: string };

/** `/documents/:id`, loaded lazily: the editor and Yjs stay out of the first page's bundle. */
export function EditorPage() {
  const { id = '' } = useParams();
  // A new id is a new page: every state and the collaboration session start over.
  return <EditorPageFor key={id} id={id} />;
}

function EditorPageFor({ id }: { id: string }) {
  const user = useCurrentUser();
  const { sessionEnded } = useSession();
  const validId = isDocumentId(id);
  const [meta, setMeta] = useState<MetaState>(validId ? { status: 'loading' } : { status: 'not-found' });
  const [attempt, setAttempt] = useState(0);
  const [denial, setDenial] = useState<{ reason: string; whileOpen: boolean } | null>(null);

  useEffect(() => {
    if (!validId) return;
    const controller = new AbortController();
    getDocument(id, controller.signal).then(
      (doc) => {
        rememberDocument(user.id, doc);
        setMeta({ status: 'ready', doc, offline: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) return setMeta({ status: 'not-found' });
        if (error instanceof ApiError && error.status === 403) return setMeta({ status: 'forbidden' });
        if (error instanceof ApiError && error.isNetworkError) {
          const cached = rememberedDocument(user.id, id);
          return setMeta(
            cached ? { status: 'ready', doc: cached, offline: true } : { status: 'unreachable' },
          );
        }
        setMeta({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => controller.abort();
  }, [id, validId, attempt, user.id]);

  // The session ended (logged out elsewhere, expired, account disabled): back to the login page,
  // which brings the person back here afterwards.
  useEffect(() => {
    if (denial?.reason === DenialReason.Unauthorized) sessionEnded();
  }, [denial, sessionEnded]);

  const retry = () => {
    setMeta({ status: 'loading' });
    setAttempt((n) => n + 1);
  };

  if (meta.status === 'not-found' || denial?.reason === DenialReason.DocumentNotFound) {
    return (
      <ErrorPage
        title={m.errors.notFoundTitle}
        code={m.errors.notFoundCode}
        lead={m.errors.notFoundLead}
        homeLabel={m.errors.home}
      />
    );
  }
  if (denial?.reason === DenialReason.Forbidden && denial.whileOpen) {
    return (
      <ErrorPage title={m.errors.lostAccessTitle} lead={m.errors.lostAccessLead} homeLabel={m.errors.home} />
    );
  }
  if (meta.status === 'forbidden' || denial?.reason === DenialReason.Forbidden) {
    return (
      <ErrorPage
        title={m.errors.forbiddenTitle}
        code={m.errors.forbiddenCode}
        lead={m.errors.forbiddenLead}
        homeLabel={m.errors.home}
      />
    );
  }
  if (denial?.reason === DenialReason.Unauthorized) return null;
  if (denial !== null) {
    return (
      <ErrorPage
        title={m.errors.serverTitle}
        lead={m.errors.deniedLead(denial.reason)}
        homeLabel={m.errors.home}
      />
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
  return <DocumentView doc={meta.doc} offline={meta.offline} user={user} onDenied={setDenial} />;
}

function DocumentView({
  doc,
  offline,
  user,
  onDenied,
}: {
  doc: Meta;
  offline: boolean;
  user: UserDto;
  onDenied: (denial: { reason: string; whileOpen: boolean }) => void;
}) {
  useDocumentTitle(doc.title);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { currentEspace, setCurrentEspace } = useSession();
  const membership = user.espaces.find((e) => e.id === doc.espaceId);
  const espaceName =
    membership?.name ?? (currentEspace?.id === doc.espaceId ? currentEspace.name : m.breadcrumbEspace);

  useEffect(() => {
    if (membership) setCurrentEspace({ id: membership.id, name: membership.name });
  }, [membership, setCurrentEspace]);

  return (
    <div className={fr.cx('fr-container', 'fr-pt-2w', 'fr-pb-6w')}>
      <Breadcrumb
        className={fr.cx('fr-mb-3w')}
        currentPageLabel={doc.title}
        segments={doc.espaceId ? [{ label: espaceName, linkProps: { to: `/espaces/${doc.espaceId}` } }] : []}
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
      <Workspace doc={doc} user={user} onDenied={onDenied} />
    </div>
  );
}

function Workspace({
  doc,
  user,
  onDenied,
}: {
  doc: Meta;
  user: UserDto;
  onDenied: (denial: { reason: string; whileOpen: boolean }) => void;
}) {
  const session = useCollaborationSession(doc.id);
  useEffect(() => {
    if (session.status === 'denied') onDenied({ reason: session.reason, whileOpen: session.whileOpen });
  }, [session, onDenied]);
  if (session.status !== 'ready') {
    return (
      <p role="status" className={fr.cx('fr-mt-4w')}>
        {m.opening}
      </p>
    );
  }
  return <ReadyWorkspace session={session.session} doc={doc} user={user} />;
}

/** Why the document is read-only for this person, in words that tell them what they can do. */
function readOnlyReason(user: UserDto, espaceId: string | null): string {
  const role = user.espaces.find((e) => e.id === espaceId)?.role;
  if (role === 'membre') return m.readOnlyWhy.membre;
  if (role === 'rapporteur') return m.readOnlyWhy.rapporteur;
  if (!role && user.isAdmin) return m.readOnlyWhy.admin;
  return m.readOnlyWhy.other;
}

function ReadyWorkspace({ session, doc, user }: { session: CollaborationSession; doc: Meta; user: UserDto }) {
  const { refresh } = useSession();
  const [announcement, setAnnouncement] = useState('');
  const onAccessChange = useCallback(
    (next: Access) => {
      setAnnouncement(next === 'read' ? m.nowReadOnly : m.nowWritable);
      // The role may have changed too (the notice explains by role): read the account again.
      void refresh().catch(() => undefined);
    },
    [refresh],
  );
  const access = useDocumentAccess(session, doc.access, onAccessChange);
  const readOnly = access === 'read';
  const connection = useConnectionState(session, readOnly);

  return (
    <>
      <div className="essaim-doc-status">
        <ConnectionBadge state={connection} />
      </div>
      {readOnly && (
        <Notice
          className={fr.cx('fr-mt-2w')}
          title={m.readOnlyTitle}
          description={readOnlyReason(user, doc.espaceId)}
        />
      )}
      <p className="fr-sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mt-1w')}>
        <div className={fr.cx('fr-col-12', 'fr-col-lg-9')}>
          <CollaborativeEditor
            session={session}
            identity={{ name: user.name, color: user.color }}
            readOnly={readOnly}
          />
        </div>
        <div className={fr.cx('fr-col-12', 'fr-col-lg-3')}>
          <PresenceList provider={session.provider} />
        </div>
      </div>
    </>
  );
}
