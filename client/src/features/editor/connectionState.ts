/**
 * The states the connection badge can show:
 * - `connecting`: the first connection, or a new one after an outage, is not yet synced;
 * - `connected`: synced, nothing typed here (or read only);
 * - `syncing`: changes made here wait for the server's acknowledgement;
 * - `saved`: the server holds every change made here;
 * - `offline`: the browser has no network (`navigator.onLine` false);
 * - `unreachable`: the browser has a network but the socket was lost: the server is down or out of
 *   reach (tester BR40 L2: « Hors ligne » there sent people to check a network that was fine);
 * - `refused`: the server refused a change made here and nothing is sent until the person undoes
 *   it (the page decides it, from the session's refusals).
 */
export type ConnectionState =
  'connecting' | 'connected' | 'syncing' | 'saved' | 'offline' | 'unreachable' | 'refused';

/** What the page knows about the link between this tab and the server at one moment. */
export interface ConnectionFacts {
  /** `navigator.onLine`: false as soon as the browser knows the network is gone. */
  browserOnline: boolean;
  socket: 'connecting' | 'connected' | 'disconnected';
  /**
   * The socket was lost (or failed to open) at least once. Before that, a socket that is not yet
   * open is the first connection under way, not an outage.
   */
  lostOnce: boolean;
  /** The first sync handshake of the current connection is done (server state received). */
  synced: boolean;
  /** Local updates sent but not yet acknowledged by the server (`provider.unsyncedChanges`). */
  unsyncedChanges: number;
  /** The person changed the document in this page (typing, formatting), online or not. */
  editedHere: boolean;
  /**
   * The server grants read access only. Edits made before the rights were withdrawn wait, refused,
   * until they come back: the badge does not promise a save that is not coming.
   */
  readOnly: boolean;
}

/**
 * Decides the badge. « Enregistré » is a promise that the server holds every change made here,
 * so it needs the server's acknowledgement on a synced connection: after an offline reload the
 * provider's counter starts at 0 although nothing was sent, hence the `synced` requirement.
 */
export function connectionState(f: ConnectionFacts): ConnectionState {
  if (!f.browserOnline) return 'offline';
  if (f.socket !== 'connected') return f.lostOnce ? 'unreachable' : 'connecting';
  if (!f.synced) return 'connecting';
  if (f.readOnly) return 'connected';
  if (f.unsyncedChanges > 0) return 'syncing';
  return f.editedHere ? 'saved' : 'connected';
}
