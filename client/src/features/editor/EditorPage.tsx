import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useLocation, useParams } from 'wouter';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Notice } from '@codegouvfr/react-dsfr/Notice';
import { fr } from '@codegouvfr/react-dsfr';
import type { Editor } from '@tiptap/core';
import { documentReviewStateLabels } from '@essaim/domain';
import { DenialReason, isDocumentId, type DocumentDto, type UserDto } from '@essaim/protocol';
import { ApiError } from '../../shared/api.js';
import { ErrorPage } from '../../shared/ErrorPage.js';
import { PageLoading } from '../../shared/PageLoading.js';
import { rememberDocument, rememberedDocument } from '../../shared/localData.js';
import { useDocumentTitle } from '../../shared/useDocumentTitle.js';
import { useBrowserOnline } from '../../shared/useBrowserOnline.js';
import { dropEarlyCollabSocket } from './earlySocket.js';
import { useHeldHeight } from '../../shared/useHeldHeight.js';
import { useFocusOnMount } from '../../shared/useFocusOnMount.js';
import { useCurrentUser, useSession } from '../auth/session.js';
import { prefetchThreads } from '../comments/prefetch.js';
import type { Comments } from '../comments/useComments.js';
import { getDocument, listDocuments, restoreDocument } from '../documents/api.js';
import { documentsMessages } from '../documents/messages.js';
import { useMetadataTitle } from '../metadata/useMetadata.js';
import { PresenceList } from '../presence/PresenceList.js';
import { publicationStateLabels } from '../publication/stateLabels.js';
import { publishedStateLabel } from '../publication/publicationStatus.js';
import { usePublications } from '../publication/usePublications.js';
import { DocumentReviewBar } from '../review/DocumentReviewBar.js';
import { ReviewProvider } from '../review/ReviewProvider.js';
import { useSectionReviews } from '../review/useSectionReviews.js';
import { sectionsMessages } from '../sections/messages.js';
import { SectionActionsProvider } from '../sections/SectionActions.js';
import { revealSection, scrollSectionIntoView } from '../sections/sectionCommands.js';
import { findSection } from '../sections/sectionRules.js';
import { Sommaire } from '../sections/Sommaire.js';
import { useEditorBridge } from './bridge.js';
import { CollaborativeEditor, useCollaborativeEditor } from './CollaborativeEditor.js';
import { ConnectionBadge } from './ConnectionBadge.js';
import { DocumentTitles } from './docRefs.js';
import type { FootnoteRequest } from './FootnoteDialog.js';
import { footnotesOf } from './footnotes.js';
import {
  LazyCommentsHost,
  LazyCommentsPanel,
  LazyDocRefDialog,
  LazyDownloadButton,
  LazyDownloadDialog,
  LazyFootnoteDialog,
  LazyHistoryPanel,
  LazyImageDialog,
  LazyMetadataPanel,
  LazyPublicationBar,
  LazySelectionCommentButton,
  openEditorDialog,
  lateChunkLoaded,
  useLateChunkSettled,
} from './LazyPanels.js';
import { LengthGauge } from './LengthGauge.js';
// For App.tsx, which asks for the late chunk as soon as this page's chunk has run (issue 16).
export { startLoadingLatePanels } from './LazyPanels.js';
import { editorMessages as m } from './messages.js';
import { NotesList, noteEntryId } from './NotesList.js';
import { usePageSettled } from './pageSettling.js';
import { SaveAlerts } from './SaveAlerts.js';
import { Toolbar, type ToolbarDialogs } from './Toolbar.js';
import {
  useCollaborationSession,
  useDocumentAccess,
  useTextArrived,
  useUpdateRefusal,
  type Access,
  type CollaborationSession,
} from './useCollaborationSession.js';
import { useConnectionState } from './useConnectionState.js';
import { useLoad } from '../../shared/useLoad.js';
import { useSearchParams } from '../../shared/useSearchParams.js';
import { isCommentShortcut } from '../comments/shortcut.js';

/** What the page needs of a document; offline (a copy remembered in this browser) without the last two. */
type Meta = Pick<DocumentDto, 'id' | 'title' | 'kind' | 'espaceId' | 'access'> &
  Partial<Pick<DocumentDto, 'canArchive' | 'canPublish' | 'archivedAt'>>;

type MetaState =
  | { status: 'loading' }
  | { status: 'ready'; doc: Meta; offline: boolean }
  | { status: 'not-found' }
  | { status: 'forbidden' }
  | { status: 'unreachable' }
  | { status: 'error'; message: string };

/**
 * How long (ms) the page waits for the document's description (`GET /api/documents/:id`, 1–2 KB)
 * before it takes the server as unreachable: 15 s, ten times what it takes on the slow line of
 * issue 16 (1.6 Mbit/s, 150 ms) on a loaded machine.
 */
const DOCUMENT_ANSWER_TIMEOUT_MS = 15_000;

/**
 * While the page shows this browser's copy of a document, how often (ms) its description is asked
 * again: 3 s, the order of the collaboration provider's own reconnection delays, so the « serveur
 * injoignable » notice leaves about when the text is saved again.
 */
const OFFLINE_COPY_RETRY_MS = 3_000;

/** `/documents/:id`, loaded lazily: the editor and Yjs stay out of the first page's bundle. */
export function EditorPage() {
  const { id = '' } = useParams();
  // A new id is a new page: every state and the collaboration session start over.
  return <EditorPageFor key={id} id={id} />;
}

function EditorPageFor({ id }: { id: string }) {
  const user = useCurrentUser();
  const browserOnline = useBrowserOnline();
  const { sessionEnded } = useSession();
  const validId = isDocumentId(id);
  const [meta, setMeta] = useState<MetaState>(validId ? { status: 'loading' } : { status: 'not-found' });
  const [attempt, setAttempt] = useState(0);
  const [denial, setDenial] = useState<{ reason: string; whileOpen: boolean } | null>(null);

  // The socket the app opened as it started waits for this page's provider (earlySocket.ts): a
  // page that will open none (the document refused, missing, archived, out of reach) closes it
  // now, and so does leaving the page, rather than after 15 s. Twenty refused pages held the
  // account's twenty unauthenticated sockets, and its next document was refused (tester BR44).
  const opensSession = meta.status === 'loading' || (meta.status === 'ready' && !meta.doc.archivedAt);
  useEffect(() => {
    if (!opensSession) dropEarlyCollabSocket();
  }, [opensSession]);
  useEffect(() => dropEarlyCollabSocket, []);

  // The threads are asked for now, while the text is read from this browser's copy: they are
  // there when the comments' chunk arrives, and drawn with it (comments/prefetch.ts).
  useEffect(() => {
    if (validId) prefetchThreads(id);
  }, [id, validId]);

  useEffect(() => {
    if (!validId) return;
    const controller = new AbortController();
    const unreachable = () => {
      const cached = rememberedDocument(user.id, id);
      setMeta(cached ? { status: 'ready', doc: cached, offline: true } : { status: 'unreachable' });
    };
    // A server that never answers is an unreachable one: the copy kept in this browser, or the
    // network's message with « Réessayer » (a hung request left « Ouverture du document… »
    // forever, even with a local copy; tester BR28).
    const timer = setTimeout(() => {
      controller.abort();
      unreachable();
    }, DOCUMENT_ANSWER_TIMEOUT_MS);
    getDocument(id, controller.signal).then(
      (doc) => {
        clearTimeout(timer);
        rememberDocument(user.id, doc);
        setMeta({ status: 'ready', doc, offline: false });
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && error.status === 404) return setMeta({ status: 'not-found' });
        if (error instanceof ApiError && error.status === 403) return setMeta({ status: 'forbidden' });
        if (error instanceof ApiError && error.isNetworkError) return unreachable();
        setMeta({ status: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [id, validId, attempt, user.id]);

  // Opened from this browser's copy: the description is asked again when the network comes back
  // and every few seconds, so « Le serveur est injoignable » goes once the server answers (it
  // stayed beside « Enregistré » after reconnecting; tester BR30). An answer that is not the
  // document (404, 403) takes the same way as at opening.
  const offlineCopy = meta.status === 'ready' && meta.offline;
  useEffect(() => {
    if (!offlineCopy) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const ask = (): void => {
      clearTimeout(timer);
      controller?.abort();
      const mine = (controller = new AbortController());
      // A request that hangs must not stop the asking: it gives up like the first one.
      getDocument(id, AbortSignal.any([mine.signal, AbortSignal.timeout(DOCUMENT_ANSWER_TIMEOUT_MS)])).then(
        (doc) => {
          if (stopped || mine.signal.aborted) return;
          rememberDocument(user.id, doc);
          setMeta({ status: 'ready', doc, offline: false });
        },
        (error: unknown) => {
          if (stopped || mine.signal.aborted) return;
          if (error instanceof ApiError && (error.status === 404 || error.status === 403)) {
            setAttempt((n) => n + 1);
            return;
          }
          timer = setTimeout(ask, OFFLINE_COPY_RETRY_MS);
        },
      );
    };
    timer = setTimeout(ask, OFFLINE_COPY_RETRY_MS);
    window.addEventListener('online', ask);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      window.removeEventListener('online', ask);
    };
  }, [offlineCopy, id, user.id]);

  // The session ended (logged out elsewhere, expired, account disabled): back to the login page,
  // which brings the person back here afterwards.
  useEffect(() => {
    if (denial?.reason === DenialReason.Unauthorized) sessionEnded();
  }, [denial, sessionEnded]);

  const retry = () => {
    setDenial(null);
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
  if (denial?.reason === DenialReason.DocumentDamaged) {
    return (
      <ErrorPage
        title={m.errors.damagedTitle}
        lead={m.errors.damagedLead}
        onRetry={retry}
        retryLabel={m.errors.retry}
        homeLabel={m.errors.home}
      />
    );
  }
  if (denial?.reason === DenialReason.TooManyConnections) {
    return (
      <ErrorPage
        title={m.errors.tooManyConnectionsTitle}
        lead={m.errors.tooManyConnectionsLead}
        onRetry={retry}
        retryLabel={m.errors.retry}
        homeLabel={m.errors.home}
      />
    );
  }
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
        lead={m.errors.networkLead[browserOnline ? 'unreachable' : 'offline']}
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
    return <PageLoading message={m.opening} />;
  }
  return (
    <DocumentView doc={meta.doc} offline={meta.offline} user={user} onDenied={setDenial} onReload={retry} />
  );
}

function DocumentView({
  doc,
  offline,
  user,
  onDenied,
  onReload,
}: {
  doc: Meta;
  offline: boolean;
  user: UserDto;
  onDenied: (denial: { reason: string; whileOpen: boolean }) => void;
  onReload: () => void;
}) {
  // The title is part of the shared metadata: a co-editor's change shows here at once.
  const [liveTitle, setLiveTitle] = useState('');
  // The collaboration socket synced with the server at least once (the badge shows it).
  const [serverReached, setServerReached] = useState(false);
  const onServerReached = useCallback(() => setServerReached(true), []);
  const title = liveTitle.trim() || doc.title;
  useDocumentTitle(title);
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { currentEspace, setCurrentEspace } = useSession();
  const membership = user.espaces.find((e) => e.id === doc.espaceId);
  const espaceName =
    membership?.name ?? (currentEspace?.id === doc.espaceId ? currentEspace.name : m.breadcrumbEspace);

  useEffect(() => {
    if (membership) setCurrentEspace({ id: membership.id, name: membership.name });
  }, [membership, setCurrentEspace]);

  return (
    <div className={fr.cx('fr-container', 'fr-pt-1w', 'fr-pt-md-2w', 'fr-pb-6w') + ' essaim-doc-page'}>
      <Breadcrumb
        // Tight on a phone (issue 16): the text comes before the fold of the screen.
        className={fr.cx('fr-mt-0', 'fr-mb-1w', 'fr-mt-md-2w', 'fr-mb-md-3w')}
        currentPageLabel={title}
        segments={doc.espaceId ? [{ label: espaceName, linkProps: { to: `/espaces/${doc.espaceId}` } }] : []}
      />
      <div className="essaim-doc-header">
        <div>
          <Badge as="span" small severity={doc.kind === 'synthese' ? 'new' : 'info'} noIcon>
            {documentsMessages.kindLabel[doc.kind]}
          </Badge>
          <h1 ref={headingRef} tabIndex={-1} className={fr.cx('fr-mt-1v', 'fr-mt-md-1w', 'fr-mb-0')}>
            {title}
          </h1>
        </div>
      </div>
      <OfflineNotice
        offline={offline}
        serverReached={serverReached || Boolean(doc.archivedAt)}
        readOnly={doc.access === 'read'}
      />
      {doc.archivedAt ? (
        <ArchivedNotice doc={doc} onRestored={onReload} />
      ) : (
        <Workspace
          doc={doc}
          user={user}
          onDenied={onDenied}
          onTitle={setLiveTitle}
          onServerReached={onServerReached}
        />
      )}
    </div>
  );
}

/**
 * « Vous êtes hors ligne… » or « Le serveur est injoignable… » (as the badge says, by
 * `navigator.onLine`) while the page shows this browser's copy; once the server answers the
 * document's description and the collaboration socket has synced (`serverReached`, as the badge
 * says « Connecté »: the description alone came 3–5 s before the socket, and the notice said
 * « Connexion rétablie » beside « Serveur injoignable », tester BR43 F2), « Connexion rétablie… »
 * in its place, as tall, until the person closes it: taken away, it moved the text up by its
 * height as the network came back (tester F1).
 */
function OfflineNotice({
  offline: copyShown,
  serverReached,
  readOnly,
}: {
  offline: boolean;
  serverReached: boolean;
  readOnly: boolean;
}) {
  const browserOnline = useBrowserOnline();
  const [wasOffline, setWasOffline] = useState(copyShown);
  if (copyShown && !wasOffline) setWasOffline(true);
  const offline = copyShown || !serverReached;
  const ref = useRef<HTMLDivElement>(null);
  const held = useHeldHeight(ref, offline);
  if (!wasOffline) return null;
  return (
    <div ref={ref} style={held}>
      <Alert
        className={fr.cx('fr-mt-2w')}
        severity={offline ? 'info' : 'success'}
        small
        description={
          offline
            ? m.offlineOpen[browserOnline ? 'unreachable' : 'offline'][readOnly ? 'read' : 'write']
            : m.backOnline
        }
        closable={!offline}
      />
    </div>
  );
}

/** An archived document: said so, no connection to its text, « Restaurer » for the animateur. */
function ArchivedNotice({ doc, onRestored }: { doc: Meta; onRestored: () => void }) {
  const [state, setState] = useState<{ pending: boolean; error: string | null }>({
    pending: false,
    error: null,
  });
  const restore = async () => {
    setState({ pending: true, error: null });
    try {
      await restoreDocument(doc.id);
      onRestored();
    } catch (error) {
      setState({ pending: false, error: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <div className={fr.cx('fr-mt-3w')}>
      <Alert
        severity="warning"
        as="h2"
        title={m.archived.title}
        description={doc.canArchive ? m.archived.descriptionRestore : m.archived.description}
      />
      {state.error && (
        <Alert
          className={fr.cx('fr-mt-2w')}
          severity="error"
          as="h2"
          small
          title={m.archived.restoreFailed}
          description={state.error}
        />
      )}
      {doc.canArchive && (
        <Button
          className={fr.cx('fr-mt-3w')}
          iconId="fr-icon-refresh-line"
          disabled={state.pending}
          onClick={() => void restore()}
        >
          {state.pending ? m.archived.restoring : m.archived.restore}
        </Button>
      )}
    </div>
  );
}

function Workspace({
  doc,
  user,
  onDenied,
  onTitle,
  onServerReached,
}: {
  doc: Meta;
  user: UserDto;
  onDenied: (denial: { reason: string; whileOpen: boolean }) => void;
  onTitle: (title: string) => void;
  /** Called once the collaboration socket is synced with the server. */
  onServerReached: () => void;
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
  return (
    <ReadyWorkspace
      session={session.session}
      doc={doc}
      user={user}
      onTitle={onTitle}
      onServerReached={onServerReached}
    />
  );
}

/** Why the document is read-only for this person, in words that tell them what they can do. */
function readOnlyReason(user: UserDto, espaceId: string | null): string {
  const role = user.espaces.find((e) => e.id === espaceId)?.role;
  if (role === 'membre') return m.readOnlyWhy.membre;
  if (role === 'rapporteur') return m.readOnlyWhy.rapporteur;
  if (!role && user.isAdmin) return m.readOnlyWhy.admin;
  return m.readOnlyWhy.other;
}

const REFUSAL_SHOWN_MS = 6000;

/**
 * The connection badge, in a component of its own: its state changes (« Enregistré »,
 * « Enregistrement… ») re-render the badge alone, not the page and its editor.
 */
function SessionBadge({
  session,
  readOnly,
  onServerReached,
}: {
  session: CollaborationSession;
  readOnly: boolean;
  onServerReached: () => void;
}) {
  const connection = useConnectionState(session, readOnly);
  const refusal = useUpdateRefusal(session);
  const reached = connection === 'connected' || connection === 'saved' || connection === 'syncing';
  useEffect(() => {
    if (reached) onServerReached();
  }, [reached, onServerReached]);
  return <ConnectionBadge state={refusal ? 'refused' : connection} readOnly={readOnly} />;
}

function ReadyWorkspace({
  session,
  doc,
  user,
  onTitle,
  onServerReached,
}: {
  session: CollaborationSession;
  doc: Meta;
  user: UserDto;
  onTitle: (title: string) => void;
  onServerReached: () => void;
}) {
  const { refresh, me } = useSession();
  const [, navigate] = useLocation();
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
  const textArrived = useTextArrived(session);
  const lateChunkSettled = useLateChunkSettled();
  const [publicationRowDrawn, setPublicationRowDrawn] = useState(false);
  const onPublicationRowDrawn = useCallback(() => setPublicationRowDrawn(true), []);
  const title = useMetadataTitle(session.ydoc);
  useEffect(() => onTitle(title), [title, onTitle]);

  const toolbarId = useId();
  const hintId = useId();
  const notesId = useId();
  const [titles] = useState(() => new DocumentTitles());
  const [refused, setRefused] = useState(0);
  // The comments hook, hosted in the chunk loaded after the first drawing (`LazyCommentsHost`).
  const [comments, setComments] = useState<Comments | null>(null);
  // Ctrl+Alt+M pressed before the comments' hook could take it (its chunk, then the threads, on
  // their way): kept, and done on the selection, which the editor keeps, once they are here.
  const commentAsked = useRef(false);
  useEffect(() => {
    if (comments?.canComment) {
      if (commentAsked.current) {
        commentAsked.current = false;
        comments.startOnSelection();
      }
      return;
    }
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isCommentShortcut(event)) return;
      event.preventDefault();
      commentAsked.current = true;
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [comments]);
  const [footnoteRequest, setFootnoteRequest] = useState<FootnoteRequest | null>(null);
  const requests = useRef(0);

  const announce = useCallback((message: string) => {
    // The same sentence twice in a row is still spoken: clear first.
    setAnnouncement('');
    requestAnimationFrame(() => setAnnouncement(message));
  }, []);

  const editFootnote = (pos: number, text: string) => {
    requests.current += 1;
    setFootnoteRequest({ mode: 'edit', key: requests.current, pos, text });
    openEditorDialog('footnote');
  };

  const bridge = useEditorBridge({
    openFootnote: (pos, text) => {
      if (!readOnly) return editFootnote(pos, text);
      // Readers go to the note in the « Notes » list.
      if (!editor) return;
      const n = footnotesOf(editor.state.doc).findIndex((note) => note.pos === pos) + 1;
      document.getElementById(noteEntryId(notesId, n))?.focus();
    },
    navigate: (path) => void navigate(path),
    refused: () => {
      setRefused(Date.now());
      announce(sectionsMessages.announce.refused);
    },
    lockedRefused: (sectionId) => reviews.refusedLocked(sectionId),
  });

  const editor = useCollaborativeEditor(
    {
      kind: doc.kind,
      ydoc: session.ydoc,
      provider: session.provider,
      identity: { id: user.id, name: user.name, color: user.color },
      bridge,
      titles,
    },
    // Until the text is here nobody may write: the editor holds the schema's invented section (and
    // it is out of sight until the page settles, see usePageSettled).
    { readOnly: readOnly || !textArrived, toolbarId, hintId },
  );

  const reviews = useSectionReviews({
    documentId: doc.id,
    provider: session.provider,
    // The sections' hashes are read from the text once it is here: read from the schema's invented
    // section, they differed from the server's and the review was asked again for nothing.
    editor: textArrived ? editor : null,
    readOnly,
    announce,
    localCopy: session.persistence,
    userId: user.id,
  });

  // Publication (issue 13): the publications, read against the review for the document's state.
  const publications = usePublications({
    documentId: doc.id,
    review: reviews.view,
    reviewAnswer: reviews.state.status === 'ready' ? reviews.state.value.review : null,
    localCopy: session.persistence,
    userId: user.id,
  });
  // The text is shown once it is here and what moves it is drawn (see usePageSettled).
  const shown = usePageSettled({
    textArrived,
    // Answered, and read against the text (the bars drawn from it change once it is).
    reviewsSettled:
      reviews.state.status === 'error' || (reviews.state.status === 'ready' && reviews.textRead),
    publicationsSettled: publications.state.status !== 'loading',
    lateChunkSettled,
  });
  // The review bar keeps its frame (and what is under it stays out of sight) until it is drawn as
  // it stays: the review answered, the publications too, and, when the bar will have a publication
  // row (a published document, or publications that failed to load),
  // the chunk that draws that row. Drawn at 58 px then grown to 129 px (165 for the animatrice) by
  // the row 0.3–0.5 s later, it pushed the presence, the outline and the notice down (layout shift
  // 0.03–0.10 while a published fiche opened, tester BR38 F1).
  // Not for a person who may publish a document never published (« Publier » comes with the
  // chunk): what is under the bar stays at hand for them while the chunk comes (a click on the
  // fiche's information or « Journal de relecture » is kept, see LazyPanels.tsx).
  const publicationRowComing = publications.state.status === 'error' || publications.status?.latest != null;
  const reviewBarPending =
    publications.state.status === 'loading' ||
    (publicationRowComing && !publicationRowDrawn && !(lateChunkSettled && !lateChunkLoaded()));
  // Once the text is shown (it can take the caret) and the review headers are drawn: they change
  // the height of the text above the section.
  useRevealRequestedSection(shown && reviews.state.status !== 'loading' ? editor : null);
  const published = publications.status
    ? publishedStateLabel(publications.status, {
        states: documentReviewStateLabels,
        published: publicationStateLabels.published,
        newVersion: publicationStateLabels.newVersion,
      })
    : null;

  const author = useMemo(() => ({ id: user.id, name: user.name }), [user.id, user.name]);

  // The espace's documents: the current titles of those linked from this one, and the choices of
  // « Lier une autre fiche » (read again each time that dialog opens).
  const espaceDocuments = useLoad(
    (signal) =>
      doc.espaceId
        ? listDocuments(doc.espaceId, signal).then((documents) => {
            titles.set(documents);
            return documents.filter((d) => !d.archivedAt);
          })
        : Promise.resolve([]),
    [doc.espaceId, titles],
  );

  useEffect(() => {
    if (!refused) return;
    const timer = setTimeout(() => setRefused(0), REFUSAL_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [refused]);

  const dialogs: ToolbarDialogs = {
    openImage: () => openEditorDialog('image'),
    openFootnote: () => {
      requests.current += 1;
      setFootnoteRequest({ mode: 'insert', key: requests.current });
      openEditorDialog('footnote');
    },
    openDocRef: () => openEditorDialog('docRef'),
  };

  return (
    <ReviewProvider reviews={reviews} announce={announce}>
      <LazyCommentsHost
        documentId={doc.id}
        espaceId={doc.espaceId}
        // Threads are placed in the text once it is here (in the schema's invented section, each
        // thread's section read « Section supprimée »).
        editor={textArrived ? editor : null}
        provider={session.provider}
        me={author}
        announce={announce}
        localCopy={session.persistence}
        onComments={setComments}
      />
      {/* Until the text is shown, nothing around it acts on the document either (a version saved or
          restored, sections submitted, a publication, all before the text was there; tester BR30):
          the page's controls are inert. */}
      <div className="essaim-doc-status" inert={!shown}>
        <SessionBadge session={session} readOnly={readOnly} onServerReached={onServerReached} />
        <LazyHistoryPanel documentId={doc.id} provider={session.provider} canWrite={!readOnly} me={author} />
        <div className="essaim-download-bar">
          <LazyDownloadButton />
        </div>
      </div>
      <div className="essaim-contents" inert={!shown}>
        <DocumentReviewBar reviews={reviews} published={published} pending={reviewBarPending}>
          <LazyPublicationBar
            documentId={doc.id}
            publications={publications}
            canPublish={doc.canPublish === true}
            announce={announce}
            onDrawn={onPublicationRowDrawn}
          />
        </DocumentReviewBar>
      </div>
      <LazyDownloadDialog documentId={doc.id} publications={publications.state} />
      {readOnly && (
        <Notice
          className={fr.cx('fr-mt-1w', 'fr-mt-md-2w') + ' essaim-readonly-notice'}
          title={m.readOnlyTitle}
          description={readOnlyReason(user, doc.espaceId)}
        />
      )}
      <p className="fr-sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {!editor ? (
        <p role="status" className={fr.cx('fr-mt-4w')}>
          {m.opening}
        </p>
      ) : (
        <SectionActionsProvider
          editor={editor}
          kind={doc.kind}
          editable={!readOnly}
          announce={announce}
          onComment={comments?.canComment ? comments.startOnSection : undefined}
        >
          <div
            className={
              fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mt-0', 'fr-mt-md-1w') +
              ' essaim-doc-body' +
              (shown ? '' : ' essaim-doc-body--waiting')
            }
          >
            {/* The column is as tall as the text: the outline and the gauge stay in view while scrolling. */}
            <div className={fr.cx('fr-col-12', 'fr-col-lg-3') + ' essaim-doc-side'}>
              <PresenceList provider={session.provider} />
              <div className="essaim-doc-aside essaim-doc-aside__sticky">
                <Sommaire
                  editor={editor}
                  kind={doc.kind}
                  openThreads={comments?.openBySection}
                  ready={textArrived}
                />
                {/* The gauge is a writer's target (« trop court »): not shown to readers. */}
                {doc.kind === 'fiche' && !readOnly && <LengthGauge editor={editor} ready={textArrived} />}
              </div>
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-lg-6')}>
              <LazyMetadataPanel
                ydoc={session.ydoc}
                kind={doc.kind}
                espaceId={doc.espaceId}
                // Its fields are the document's, written into the same Y.Doc: nothing may be
                // written there before it is here (a title typed meanwhile replaced the stored one,
                // a theme ticked replaced the stored themes; tester BR28).
                readOnly={readOnly || !textArrived}
              />
              {reviews.notice && (
                <Alert
                  key={reviews.notice.key}
                  className="essaim-doc-notice fr-mb-1w"
                  severity="warning"
                  small
                  description={reviews.notice.text}
                  closable
                  onClose={reviews.dismissNotice}
                />
              )}
              {refused > 0 && (
                <Alert
                  className="essaim-doc-notice fr-mb-1w"
                  severity="warning"
                  small
                  description={sectionsMessages.announce.refused}
                  closable
                  onClose={() => setRefused(0)}
                />
              )}
              <CollaborativeEditor
                editor={editor}
                readOnly={readOnly}
                waiting={!shown}
                canComment={comments?.canComment ?? false}
                hintId={hintId}
                toolbar={<Toolbar editor={editor} id={toolbarId} dialogs={dialogs} />}
              >
                <LazySelectionCommentButton editor={editor} comments={comments} />
                <NotesList editor={editor} listId={notesId} readOnly={readOnly} onEdit={editFootnote} />
              </CollaborativeEditor>
              <SaveAlerts session={session} limits={me.collabLimits} announce={announce} />
            </div>
            <div className={fr.cx('fr-col-12', 'fr-col-lg-3')}>
              <LazyCommentsPanel comments={comments} />
            </div>
          </div>
          {!readOnly && (
            <>
              <LazyFootnoteDialog editor={editor} request={footnoteRequest} announce={announce} />
              <LazyDocRefDialog
                editor={editor}
                documentId={doc.id}
                documents={espaceDocuments.state}
                refresh={espaceDocuments.reload}
                retry={espaceDocuments.retry}
              />
              <LazyImageDialog editor={editor} documentId={doc.id} />
            </>
          )}
        </SectionActionsProvider>
      )}
    </ReviewProvider>
  );
}

/**
 * `/documents/:id?section=<sectionId>` (the link of a review notification): once the editor holds
 * that section (its text may arrive after the editor is built), it is scrolled to and the caret
 * put at the start of its text, once per address. `editor` is null until the page is laid out.
 */
function useRevealRequestedSection(editor: Editor | null): void {
  const [searchParams] = useSearchParams();
  const requested = searchParams.get('section');
  const revealed = useRef<string | null>(null);
  useEffect(() => {
    if (!editor || !requested || revealed.current === requested) return;
    const tryReveal = () => {
      if (editor.isDestroyed || revealed.current === requested) return;
      if (revealSection(editor, requested)) {
        revealed.current = requested;
        editor.off('update', tryReveal);
        stopKeeping = keepInView(editor, requested);
      }
    };
    let stopKeeping: () => void = () => undefined;
    // The node views are drawn after the first render: reveal on the next frame.
    const frame = requestAnimationFrame(tryReveal);
    editor.on('update', tryReveal);
    return () => {
      cancelAnimationFrame(frame);
      editor.off('update', tryReveal);
      stopKeeping();
    };
  }, [editor, requested]);
}

/** How long a revealed section is kept in view while the page settles (ms). */
const SETTLING_MS = 5000;

/**
 * While the page settles after revealing section `id` (review headers, panels and late chunks
 * drawn above it, which can push it out of view or interrupt its smooth scroll), scrolls it back
 * into view whenever the page's size changes, until the person scrolls, types or clicks, or
 * {@link SETTLING_MS} have passed. Returns the function that stops watching.
 */
function keepInView(editor: Editor, id: string): () => void {
  const check = () => {
    const found = findSection(editor.state.doc, id);
    const dom = found ? editor.view.nodeDOM(found.pos) : null;
    if (!(dom instanceof HTMLElement)) return;
    const box = dom.getBoundingClientRect();
    if (box.bottom <= 0 || box.top >= window.innerHeight) scrollSectionIntoView(editor, id);
  };
  const observer = new ResizeObserver(check);
  observer.observe(document.body);
  const timer = setTimeout(() => stop(), SETTLING_MS);
  const personActs = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;
  const stop = () => {
    observer.disconnect();
    clearTimeout(timer);
    for (const type of personActs) window.removeEventListener(type, stop, true);
  };
  for (const type of personActs) window.addEventListener(type, stop, { capture: true, passive: true });
  return stop;
}
