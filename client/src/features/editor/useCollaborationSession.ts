import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { DenialReason, documentName, FRAGMENT, parseServerStateless } from '@essaim/protocol';
import { sendOfflineEditsFirst } from '@essaim/editor';
import { registerOpenDocument } from '../../shared/localData.js';
import { LiveWebsocket, watchConnection } from './connectionWatchdog.js';
import { refusalKindOf, UpdateRefusals, type UpdateRefused } from './updateRefusal.js';
import { guardAwarenessStates } from '../presence/awarenessGuard.js';
import { TextArrival } from './textArrival.js';
import { AdoptingWebSocket, collabUrl } from './earlySocket.js';

/** One open document: its Y.Doc, the local copy in IndexedDB, and the websocket provider. */
export interface CollaborationSession {
  ydoc: Y.Doc;
  provider: HocuspocusProvider;
  /** Null when the browser has no usable IndexedDB (then there is no offline copy). */
  persistence: IndexeddbPersistence | null;
  /** The server's refusals of changes made here, and the way to reconnect after undoing them. */
  refusals: UpdateRefusals;
  /** Whether the text is here (local copy or first sync), so that the person may write into it. */
  arrival: TextArrival;
}

export type SessionState =
  | { status: 'opening' }
  | { status: 'ready'; session: CollaborationSession }
  /**
   * The server refused the document (`reason`: one of {@link DenialReason}), at opening or later
   * (`whileOpen`: rights withdrawn, session ended, while the document was on screen).
   */
  | { status: 'denied'; reason: string; whileOpen: boolean };

/**
 * y-indexeddb's `whenSynced` can hang (blocked upgrade, storage pressure): the document then
 * opens from the server alone rather than never.
 */
const LOCAL_COPY_TIMEOUT_MS = 3000;

/**
 * Reconnection back-off: 1 s, doubling, at most 10 s between attempts (the provider's default
 * cap, 30 s, kept people offline that long after the network came back). Jittered by the provider.
 */
const RECONNECT_MAX_DELAY_MS = 10_000;

/**
 * The provider's own silence check, kept as a backstop only: {@link watchConnection} finds a dead
 * socket in seconds, and also lets a large upload finish, which this check would cut.
 */
const PROVIDER_SILENCE_TIMEOUT_MS = 120_000;

function settleWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    promise.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

const isDenial = (reason: unknown): reason is string =>
  reason === DenialReason.Forbidden ||
  reason === DenialReason.Unauthorized ||
  reason === DenialReason.DocumentNotFound ||
  reason === DenialReason.DocumentDamaged ||
  reason === DenialReason.TooManyConnections;

/**
 * Opens a document for co-editing. Order matters: the local IndexedDB copy is loaded into the
 * Y.Doc first, so edits made offline are part of the very first sync with the server.
 * Everything is destroyed when the component unmounts (or the id changes), or when the person
 * logs out (the document is registered in `localData` until it is closed).
 *
 * A socket the network silently dropped is found within seconds ({@link watchConnection}). A
 * change the server refuses (too large, invalid: see updateRefusal.ts) stops the connection
 * instead of being sent again forever; the Y.Doc and its local copy keep it, and the person
 * reconnects through `refusals.reconnect()` once it is undone.
 *
 * Reconnecting opens the session again, on a new Y.Doc holding the whole state of the previous
 * one. Undoing (or deleting) a paste deletes its text, but the undo manager keeps deleted text
 * for redo, so Yjs does not garbage-collect it and the same Y.Doc would send it all again (measured:
 * refused again). In a new Y.Doc the deleted text is collected as it is loaded, and only its
 * length is sent. Nothing made here is lost; only the undo history starts over.
 */
export function useCollaborationSession(documentId: string): SessionState {
  const [state, setState] = useState<SessionState>({ status: 'opening' });
  const [generation, setGeneration] = useState(0);
  /** The previous Y.Doc's state, to start the next generation from. */
  const seed = useRef<Uint8Array | null>(null);
  /** Refusals met by this page, across generations (a second one means undoing was not enough). */
  const refusalCount = useRef(0);

  useEffect(() => {
    const name = documentName(documentId);
    const ydoc = new Y.Doc();
    // Origin of the previous generation's state: counted as unsent (some of it may be).
    const fromPreviousSession = Symbol('previous session');
    let persistence: IndexeddbPersistence | null = null;
    let provider: HocuspocusProvider | null = null;
    let socket: LiveWebsocket | null = null;
    let stopWatching = () => {};
    let unguardAwareness = () => {};
    let disposed = false;
    let opened = false;
    const refusals = new UpdateRefusals(
      () => socket?.disconnect(),
      () => {
        seed.current = Y.encodeStateAsUpdate(ydoc);
        setState({ status: 'opening' });
        setGeneration((n) => n + 1);
      },
      refusalCount,
    );

    // Edits made here that the server may not hold yet: set by each local edit, cleared once a
    // synced connection has nothing left to acknowledge. The provider's own counter is not enough:
    // after an offline reload it is 0 although nothing was sent.
    let unsent = false;
    // Before the session is ready: the previous generation's state and the local copy are in it.
    let arrival: TextArrival | null = null;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && origin !== persistence) unsent = true;
      // A local copy that arrived after LOCAL_COPY_TIMEOUT_MS.
      else if (origin === persistence) arrival?.check();
    };
    ydoc.on('update', onUpdate);
    // Before the local copy is attached, which holds all of it already. (Kept, not cleared: an
    // effect run twice in development applies it twice, which changes nothing.)
    if (seed.current) Y.applyUpdate(ydoc, seed.current, fromPreviousSession);
    try {
      persistence = new IndexeddbPersistence(name, ydoc);
    } catch (error) {
      console.warn('Copie locale indisponible (IndexedDB) :', error);
    }
    const onAcknowledged = () => {
      if (
        provider?.isSynced &&
        !provider.hasUnsyncedChanges &&
        provider.configuration.websocketProvider.status === WebSocketStatus.Connected
      ) {
        unsent = false;
      }
    };
    const hasPendingChanges = () => unsent && provider?.authorizedScope !== 'readonly';

    // The provider ignores the browser's `online` event and may wait up to its back-off delay
    // (tens of seconds) before retrying: reconnect at once instead.
    const onOnline = () => {
      if (!refusals.holding) void socket?.connect();
    };

    const deny = (reason: string) => {
      if (!disposed) setState({ status: 'denied', reason, whileOpen: opened });
    };

    void (async () => {
      if (persistence) await settleWithin(persistence.whenSynced, LOCAL_COPY_TIMEOUT_MS);
      if (disposed) return;
      arrival = new TextArrival(ydoc.getXmlFragment(FRAGMENT));
      socket = new LiveWebsocket({
        url: collabUrl(),
        maxDelay: RECONNECT_MAX_DELAY_MS,
        messageReconnectTimeout: PROVIDER_SILENCE_TIMEOUT_MS,
        // The socket the app opened as it started on this address, if it is still there (issue 16:
        // its handshake is done while the page's JavaScript runs, see earlySocket.ts).
        WebSocketPolyfill: AdoptingWebSocket,
      });
      // No token: the browser's session cookie goes with the websocket upgrade.
      provider = new HocuspocusProvider({ websocketProvider: socket, name, document: ydoc, token: '' });
      // Presence states this page cannot read (a malformed caret) are ignored (issue 15).
      unguardAwareness = provider.awareness ? guardAwarenessStates(provider.awareness) : () => undefined;
      provider.on('authenticationFailed', ({ reason }: { reason: string }) => deny(reason));
      // The server closes this document (not the socket) when rights are withdrawn or the session
      // ends while it is open, or when it refuses a change; a refused frame closes the socket.
      // Network closes carry neither and are left to the badge.
      provider.on('close', ({ event }: { event?: { code?: unknown; reason?: unknown } }) => {
        if (isDenial(event?.reason)) return deny(event.reason);
        const refusal = refusalKindOf(event);
        if (refusal) refusals.refuse(refusal);
      });
      provider.on('unsyncedChanges', onAcknowledged);
      provider.on('synced', onAcknowledged);
      const textArrival = arrival;
      provider.on('synced', ({ state }: { state: boolean }) => {
        if (state) textArrival.settle();
      });
      // What was typed offline goes before the server's changes (see sendOfflineEditsFirst).
      sendOfflineEditsFirst(provider);
      provider.attach();
      stopWatching = watchConnection(socket, provider.awareness);
      window.addEventListener('online', onOnline);
      opened = true;
      setState({ status: 'ready', session: { ydoc, provider, persistence, refusals, arrival } });
    })();

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        disposed = true;
        window.removeEventListener('online', onOnline);
        ydoc.off('update', onUpdate);
        stopWatching();
        unguardAwareness();
        provider?.destroy();
        // A socket passed to the provider is not destroyed with it.
        socket?.destroy();
        if (persistence) await settleWithin(persistence.destroy(), LOCAL_COPY_TIMEOUT_MS);
        ydoc.destroy();
      })());
    const unregister = registerOpenDocument({ close, hasPendingChanges });

    return () => {
      // Stays registered until closed, so a logout under way waits for the database to close.
      void close().finally(unregister);
    };
  }, [documentId, generation]);

  return state;
}

/** Whether the open document's text is here (see {@link TextArrival}): until then, no editor. */
export function useTextArrived(session: CollaborationSession): boolean {
  return useSyncExternalStore(session.arrival.subscribe, session.arrival.get);
}

/** The refusal of a change made here that the page shows, or null while changes flow. */
export function useUpdateRefusal(session: CollaborationSession): UpdateRefused | null {
  return useSyncExternalStore(session.refusals.subscribe, session.refusals.get);
}

export type Access = 'read' | 'write';

/**
 * What the person may do with the open document, kept in line with the server: the scope it
 * granted at authentication, then its `access` messages when rights change while connected.
 * `onChange` hears about changes after the first value (to announce them).
 */
export function useDocumentAccess(
  session: CollaborationSession,
  initial: Access,
  onChange?: (access: Access) => void,
): Access {
  const { provider } = session;
  const [access, setAccess] = useState<Access>(
    provider.authorizedScope === 'readonly'
      ? 'read'
      : provider.authorizedScope === 'read-write'
        ? 'write'
        : initial,
  );
  const current = useRef(access);
  const listener = useRef(onChange);
  useEffect(() => {
    listener.current = onChange;
  }, [onChange]);

  useEffect(() => {
    const apply = (next: Access) => {
      if (current.current === next) return;
      current.current = next;
      setAccess(next);
      listener.current?.(next);
    };
    const onAuthenticated = ({ scope }: { scope: string }) => apply(scope === 'readonly' ? 'read' : 'write');
    const onStateless = ({ payload }: { payload: string }) => {
      const message = parseServerStateless(payload);
      if (message?.type === 'access') apply(message.access);
    };
    provider.on('authenticated', onAuthenticated);
    provider.on('stateless', onStateless);
    return () => {
      provider.off('authenticated', onAuthenticated);
      provider.off('stateless', onStateless);
    };
  }, [provider]);

  return access;
}
