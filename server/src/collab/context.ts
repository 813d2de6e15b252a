/** Per-socket state shared by every document opened on that socket (Hocuspocus copies the context shallowly). */
export interface SocketState {
  /** Set once one document on the socket authenticated: the pre-authentication frame limit is lifted. */
  authenticated: boolean;
  /**
   * Runs `release` once the websocket has closed, however it closed (at once if it already has).
   * Absent on server-side direct connections, which have no socket.
   */
  onClose?(release: () => void): void;
}

/** What `onAuthenticate` puts in every collaborative connection's context. */
export interface CollabContext {
  socket: SocketState;
  userId?: string;
  sessionId?: string;
  documentId?: string;
  /** The real identity shown on carets and in the presence list. */
  user?: { id: string; name: string; color: string };
}
