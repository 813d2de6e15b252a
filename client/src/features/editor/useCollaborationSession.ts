import { useEffect, useState } from 'react';
import { HocuspocusProvider } from '@hocuspocus/provider';
import { IndexeddbPersistence } from 'y-indexeddb';
import * as Y from 'yjs';
import { documentName } from '@essaim/protocol';

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
  | { status: 'denied'; reason: string };

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

/**
 * Opens a document for co-editing. Order matters: the local IndexedDB copy is loaded into the
 * Y.Doc first, so edits made offline are part of the very first sync with the server.
 * Everything is destroyed when the component unmounts (or the id changes).
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

    // The provider ignores the browser's `online` event and may wait up to its back-off delay
    // (tens of seconds) before retrying: reconnect at once instead.
    const onOnline = () => {
      void provider?.connect();
    };

    void (async () => {
      if (persistence) await settleWithin(persistence.whenSynced, LOCAL_COPY_TIMEOUT_MS);
      if (disposed) return;
      provider = new HocuspocusProvider({ url: collabUrl(), name, document: ydoc, token: '' });
      provider.on('authenticationFailed', ({ reason }: { reason: string }) => {
        if (!disposed) setState({ status: 'denied', reason });
      });
      window.addEventListener('online', onOnline);
      setState({ status: 'ready', session: { ydoc, provider, persistence } });
    })();

    return () => {
      disposed = true;
      window.removeEventListener('online', onOnline);
      provider?.destroy();
      void persistence?.destroy();
      ydoc.destroy();
    };
  }, [documentId]);

  return state;
}
