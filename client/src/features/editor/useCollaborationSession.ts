import { useEffect, useRef, useState } from 'react';
import { HocuspocusProvider, WebSocketStatus } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { DenialReason, documentName, parseServerStateless } from '@essaim/protocol';
import { registerOpenDocument } from '../../shared/localData.js';

/** One open document: its Y.Doc, the local copy in IndexedDB, and the websocket provider. */
export interface CollaborationSession {
  ydoc: Y.Doc;
  provider: HocuspocusProvider;
  /** Null when the browser has no usable IndexedDB (then there is no offline copy). */
  persistence: IndexeddbPersistence | null;
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

/** `ws(s)://<this host>/collab`: the socket lives on the same origin as the page (CSP `'self'`). */
export function collabUrl(location: Location = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/collab`;
}

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
  reason === DenialReason.DocumentNotFound;

/**
 * Opens a document for co-editing. Order matters: the local IndexedDB copy is loaded into the
 * Y.Doc first, so edits made offline are part of the very first sync with the server.
 * Everything is destroyed when the component unmounts (or the id changes), or when the person
 * logs out (the document is registered in `localData` until it is closed).
 */
export function useCollaborationSession(documentId: string): SessionState {
  const [state, setState] = useState<SessionState>({ status: 'opening' });

  useEffect(() => {
    const name = documentName(documentId);
    const ydoc = new Y.Doc();
    let persistence: IndexeddbPersistence | null = null;
    try {
      persistence = new IndexeddbPersistence(name, ydoc);
    } catch (error) {
      console.warn('Copie locale indisponible (IndexedDB) :', error);
    }
    let provider: HocuspocusProvider | null = null;
    let disposed = false;
    let opened = false;

    // Edits made here that the server may not hold yet: set by each local edit, cleared once a
    // synced connection has nothing left to acknowledge. The provider's own counter is not enough:
    // after an offline reload it is 0 although nothing was sent.
    let unsent = false;
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin !== provider && origin !== persistence) unsent = true;
    };
    ydoc.on('update', onUpdate);
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
      void provider?.connect();
    };

    const deny = (reason: string) => {
      if (!disposed) setState({ status: 'denied', reason, whileOpen: opened });
    };

    void (async () => {
      if (persistence) await settleWithin(persistence.whenSynced, LOCAL_COPY_TIMEOUT_MS);
      if (disposed) return;
      // No token: the browser's session cookie goes with the websocket upgrade.
      provider = new HocuspocusProvider({ url: collabUrl(), name, document: ydoc, token: '' });
      provider.on('authenticationFailed', ({ reason }: { reason: string }) => deny(reason));
      // The server closes this document (not the socket) when rights are withdrawn or the session
      // ends while it is open; network closes carry no such reason and are left to the badge.
      provider.on('close', ({ event }: { event: { reason?: unknown } }) => {
        if (isDenial(event.reason)) deny(event.reason);
      });
      provider.on('unsyncedChanges', onAcknowledged);
      provider.on('synced', onAcknowledged);
      window.addEventListener('online', onOnline);
      opened = true;
      setState({ status: 'ready', session: { ydoc, provider, persistence } });
    })();

    let closing: Promise<void> | null = null;
    const close = (): Promise<void> =>
      (closing ??= (async () => {
        disposed = true;
        window.removeEventListener('online', onOnline);
        ydoc.off('update', onUpdate);
        provider?.destroy();
        if (persistence) await settleWithin(persistence.destroy(), LOCAL_COPY_TIMEOUT_MS);
        ydoc.destroy();
      })());
    const unregister = registerOpenDocument({ close, hasPendingChanges });

    return () => {
      // Stays registered until closed, so a logout under way waits for the database to close.
      void close().finally(unregister);
    };
  }, [documentId]);

  return state;
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
