import { useCallback, useRef, useSyncExternalStore } from 'react';
import { WebSocketStatus } from '@hocuspocus/provider';
import { connectionState, type ConnectionState } from './connectionState.js';
import type { CollaborationSession } from './useCollaborationSession.js';

/**
 * How long a passing state waits before it shows (ms; see {@link nextShown}): a change acknowledged
 * within it never shows « Enregistrement… »; while someone types, the badge (a live region) would
 * otherwise flicker and chatter at every keystroke.
 */
export const SYNCING_GRACE_MS = 500;

function readSocketStatus(session: CollaborationSession): 'connected' | 'connecting' | 'disconnected' {
  const status = session.provider.configuration.websocketProvider.status;
  if (status === WebSocketStatus.Connected) return 'connected';
  if (status === WebSocketStatus.Connecting) return 'connecting';
  return 'disconnected';
}

/**
 * What the badge shows, given what it showed (`shown`) and what the facts say now (`raw`). Passing
 * states wait {@link SYNCING_GRACE_MS} before they show, and most often never do; meanwhile the
 * badge keeps what it showed:
 * - « Enregistrement… » after « Enregistré », « Connecté » or « Connexion au serveur… »: a
 *   keystroke, or the provider's handshake, which leaves one change unacknowledged for a round trip
 *   (it flashed 140–290 ms at each opening, and « Connecté » before « Enregistré » on each
 *   reconnection: testers BR42, BR43);
 * - « Connexion au serveur… » after « Connecté », « Enregistré », « Enregistrement… » or « Serveur
 *   injoignable »: a reconnection attempt, whose outcome shows once known (it flashed 10–70 ms
 *   between « Connecté » and « Serveur injoignable » when the server stopped, and at each retry;
 *   tester BR43);
 * - « Serveur injoignable » right after « Hors ligne »: when the network comes back, the provider
 *   reconnects about 130 ms later (tester BR42); « Connexion au serveur… » shows meanwhile.
 * Any other change shows at once. `pending` is the state put off and still waiting, if any.
 * Returns the state to show now and, when the change is put off, the state to show once the delay
 * has passed with the facts unchanged.
 */
export function nextShown(
  shown: ConnectionState,
  raw: ConnectionState,
  pending: ConnectionState | null = null,
): { now: ConnectionState; later: ConnectionState | null } {
  // Still what was put off (the facts were read again meanwhile): it keeps waiting.
  if (raw === pending) return { now: shown, later: raw };
  if (raw === 'syncing' && (shown === 'saved' || shown === 'connected' || shown === 'connecting'))
    return { now: shown, later: raw };
  if (
    raw === 'connecting' &&
    (shown === 'connected' || shown === 'saved' || shown === 'syncing' || shown === 'unreachable')
  )
    return { now: shown, later: raw };
  if (raw === 'unreachable' && shown === 'offline') return { now: 'connecting', later: raw };
  return { now: raw, later: null };
}

/** Facts of a page's life kept across subscriptions (rights changed, effect run twice). */
interface ConnectionMemory {
  shown: ConnectionState;
  lostOnce: boolean;
  editedHere: boolean;
}

/**
 * The connection badge's state, recomputed from the provider at each of its events. React hears
 * about it only when the SHOWN state changes: a keystroke, which makes the facts go from
 * « Enregistré » to « Enregistrement… » and back within the grace delay, causes no React commit
 * (each commit walks the editor's DOM to save the selection while the focus is in the text:
 * docs/PERFORMANCE.md, section h).
 */
export function useConnectionState(session: CollaborationSession, readOnly: boolean): ConnectionState {
  const memory = useRef<ConnectionMemory>({ shown: 'connecting', lostOnce: false, editedHere: false });

  const subscribe = useCallback(
    (notify: () => void) => {
      const { provider, ydoc, persistence } = session;
      const state = memory.current;
      let timer: ReturnType<typeof setTimeout> | null = null;
      let pending: ConnectionState | null = null;
      const show = (next: ConnectionState) => {
        if (state.shown === next) return;
        state.shown = next;
        notify();
      };
      const update = () => {
        const raw = connectionState({
          browserOnline: navigator.onLine,
          socket: readSocketStatus(session),
          lostOnce: state.lostOnce,
          synced: provider.isSynced,
          unsyncedChanges: provider.unsyncedChanges,
          editedHere: state.editedHere,
          readOnly,
        });
        const { now, later } = nextShown(state.shown, raw, pending);
        // A state put off keeps its delay while the facts still say it; another one starts anew.
        if (later !== pending) {
          if (timer) clearTimeout(timer);
          timer = null;
          pending = later;
          if (later)
            timer = setTimeout(() => {
              timer = null;
              pending = null;
              show(later);
            }, SYNCING_GRACE_MS);
        }
        show(now);
      };
      const onStatus = ({ status }: { status: WebSocketStatus }) => {
        if (status === WebSocketStatus.Disconnected) state.lostOnce = true;
        update();
      };
      const onDocUpdate = (_update: Uint8Array, origin: unknown) => {
        // Updates from the server or from the local IndexedDB copy are not edits made here.
        if (origin === provider || (persistence !== null && origin === persistence)) return;
        if (!state.editedHere) {
          state.editedHere = true;
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
        if (timer) clearTimeout(timer);
        provider.off('status', onStatus);
        for (const event of events) provider.off(event, update);
        ydoc.off('update', onDocUpdate);
        window.removeEventListener('online', update);
        window.removeEventListener('offline', update);
      };
    },
    [session, readOnly],
  );

  return useSyncExternalStore(subscribe, () => memory.current.shown);
}
