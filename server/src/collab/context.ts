import type { Actor } from '@essaim/domain';

/** Per-socket state shared by every document opened on that socket (Hocuspocus copies the context shallowly). */
export interface SocketState {
  /** Set once one document on the socket authenticated: the pre-authentication frame limit is lifted. */
  authenticated: boolean;
}

/** What `onAuthenticate` puts in every collaborative connection's context. */
export interface CollabContext {
  socket: SocketState;
  actor?: Actor;
  documentId?: string;
}
