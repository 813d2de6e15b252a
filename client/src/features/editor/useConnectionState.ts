import { useEffect, useRef, useState } from 'react';
import { WebSocketStatus } from '@hocuspocus/provider';
import { connectionState, type ConnectionFacts, type ConnectionState } from './connectionState.js';
import type { CollaborationSession } from './useCollaborationSession.js';

/**
 * A change acknowledged within this delay never shows « Synchronisation… »: while someone types,
 * the badge (a live region) would otherwise flicker and chatter at every keystroke.
 */
const SYNCING_GRACE_MS = 500;

function readSocketStatus(session: CollaborationSession): ConnectionFacts['socket'] {
  const status = session.provider.configuration.websocketProvider.status;
  if (status === WebSocketStatus.Connected) return 'connected';
  if (status === WebSocketStatus.Connecting) return 'connecting';
  return 'disconnected';
}

/** The connection badge's state, recomputed from the provider at each of its events. */
export function useConnectionState(session: CollaborationSession, readOnly: boolean): ConnectionState {
  const { provider, ydoc, persistence } = session;
  const [raw, setRaw] = useState<ConnectionState>('syncing');
  const [shown, setShown] = useState<ConnectionState>('syncing');
  const shownRef = useRef(shown);
  // Facts of this page's life, kept when the effect re-subscribes (e.g. rights changed).
  const lostOnce = useRef(false);
  const editedHere = useRef(false);

  useEffect(() => {
    const update = () => {
      setRaw(
        connectionState({
          browserOnline: navigator.onLine,
          socket: readSocketStatus(session),
          lostOnce: lostOnce.current,
          synced: provider.isSynced,
          unsyncedChanges: provider.unsyncedChanges,
          editedHere: editedHere.current,
          readOnly,
        }),
      );
    };
    const onStatus = ({ status }: { status: WebSocketStatus }) => {
      if (status === WebSocketStatus.Disconnected) lostOnce.current = true;
      update();
    };
    const onDocUpdate = (_update: Uint8Array, origin: unknown) => {
      // Updates from the server or from the local IndexedDB copy are not edits made here.
      if (origin === provider || (persistence !== null && origin === persistence)) return;
      if (!editedHere.current) {
        editedHere.current = true;
        update();
      }
    };
    const events = [
      'synced',
      'unsyncedChanges',
      'authenticated',
      'close',
      'disconnect',
      'connect',
      'open',
    ] as const;
    provider.on('status', onStatus);
    for (const event of events) provider.on(event, update);
    ydoc.on('update', onDocUpdate);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    update();
    return () => {
      provider.off('status', onStatus);
      for (const event of events) provider.off(event, update);
      ydoc.off('update', onDocUpdate);
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, [session, provider, ydoc, persistence, readOnly]);

  // Show « Synchronisation… » after a settled state only if it lasts; every other change at once.
  useEffect(() => {
    const settled = shownRef.current === 'saved' || shownRef.current === 'connected';
    const delay = raw === 'syncing' && settled ? SYNCING_GRACE_MS : 0;
    const timer = setTimeout(() => {
      shownRef.current = raw;
      setShown(raw);
    }, delay);
    return () => clearTimeout(timer);
  }, [raw]);

  return shown;
}
